import Foundation

/// Element-wise and row-wise passes of the encoder, forward and backward, on flat row-major buffers.
enum Kernels {
    /// Adds `bias` (length `width`) to each of `rows` rows of `x`.
    static func addBias(_ x: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>, rows: Int, width: Int) {
        for row in 0..<rows {
            let line = x + row * width
            for column in 0..<width { line[column] += bias[column] }
        }
    }

    /// `y = x + residual`, element-wise over `count` values.
    static func add(_ x: UnsafePointer<Float>, _ residual: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        for index in 0..<count { y[index] = x[index] + residual[index] }
    }

    /// LayerNorm of each row in place; keeps the normalised values and each row's 1/σ for the backward pass.
    static func layerNorm(
        _ x: UnsafeMutablePointer<Float>, normalized: UnsafeMutablePointer<Float>, inverseDeviation: UnsafeMutablePointer<Float>,
        gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, rows: Int, width: Int, epsilon: Float
    ) {
        for row in 0..<rows {
            let line = x + row * width
            let hat = normalized + row * width
            var sum: Float = 0
            for column in 0..<width { sum += line[column] }
            let mean = sum / Float(width)
            var squares: Float = 0
            for column in 0..<width {
                let centered = line[column] - mean
                squares += centered * centered
            }
            let inverse = 1 / (squares / Float(width) + epsilon).squareRoot()
            inverseDeviation[row] = inverse
            for column in 0..<width {
                let value = (line[column] - mean) * inverse
                hat[column] = value
                line[column] = value * gamma[column] + beta[column]
            }
        }
    }

    /// The gradient of LayerNorm's input from its output gradient `dy`, written to `dx`.
    static func layerNormBackward(
        _ dy: UnsafePointer<Float>, normalized: UnsafePointer<Float>, inverseDeviation: UnsafePointer<Float>,
        gamma: UnsafePointer<Float>, into dx: UnsafeMutablePointer<Float>, rows: Int, width: Int
    ) {
        for row in 0..<rows {
            let gradient = dy + row * width
            let hat = normalized + row * width
            let out = dx + row * width
            var meanGradient: Float = 0
            var meanGradientHat: Float = 0
            for column in 0..<width {
                let g = gradient[column] * gamma[column]
                meanGradient += g
                meanGradientHat += g * hat[column]
            }
            meanGradient /= Float(width)
            meanGradientHat /= Float(width)
            let inverse = inverseDeviation[row]
            for column in 0..<width {
                let g = gradient[column] * gamma[column]
                out[column] = inverse * (g - meanGradient - hat[column] * meanGradientHat)
            }
        }
    }

    /// Exact GELU, `x · Φ(x)` with the error function, from `x` into `y`.
    static func gelu(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        for index in 0..<count {
            let value = x[index]
            y[index] = 0.5 * value * (1 + erff(value * Float(0.5).squareRoot()))
        }
    }

    /// Multiplies `dy` in place by GELU's derivative at the pre-activation `x`.
    static func geluBackward(_ x: UnsafePointer<Float>, _ dy: UnsafeMutablePointer<Float>, count: Int) {
        let inverseRootTwoPi = 1 / (2 * Float.pi).squareRoot()
        for index in 0..<count {
            let value = x[index]
            let cdf = 0.5 * (1 + erff(value * Float(0.5).squareRoot()))
            let pdf = inverseRootTwoPi * expf(-0.5 * value * value)
            dy[index] *= cdf + value * pdf
        }
    }

    /// Softmax of each row in place over the columns where `keyMask` is 1; masked columns become 0.
    static func maskedSoftmax(_ x: UnsafeMutablePointer<Float>, keyMask: UnsafePointer<Float>, rows: Int, width: Int) {
        for row in 0..<rows {
            let line = x + row * width
            var maximum = -Float.infinity
            for column in 0..<width where keyMask[column] != 0 { maximum = max(maximum, line[column]) }
            var sum: Float = 0
            for column in 0..<width {
                let value = keyMask[column] != 0 ? expf(line[column] - maximum) : 0
                line[column] = value
                sum += value
            }
            let inverse = sum > 0 ? 1 / sum : 0
            for column in 0..<width { line[column] *= inverse }
        }
    }

    /// Turns `dp`, the gradient of softmax outputs `p`, into the gradient of the scores, in place.
    static func softmaxBackward(_ p: UnsafePointer<Float>, _ dp: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        for row in 0..<rows {
            let probabilities = p + row * width
            let gradient = dp + row * width
            var dot: Float = 0
            for column in 0..<width { dot += probabilities[column] * gradient[column] }
            for column in 0..<width { gradient[column] = probabilities[column] * (gradient[column] - dot) }
        }
    }
}
