import CLoRA
import Foundation

/// Element-wise and row-wise passes of the encoder, forward and backward, on flat row-major
/// buffers. The large ones are split over the workers; GELU, softmax and LayerNorm run in C
/// (`CLoRA`), compiled for AVX-512, AVX2 and baseline x86-64 and chosen by the CPU.
enum Kernels {
    /// Rows per piece below which a split costs more than it saves.
    static let rowGrain = 32
    /// Values per piece for element-wise passes.
    static let valueGrain = 1 << 15

    /// Each of `rows` rows of `x` set to `bias` (length `width`): the start of `x Wᵀ + b`.
    static func fillRows(_ x: UnsafeMutablePointer<Float>, with bias: UnsafePointer<Float>, rows: Int, width: Int) {
        Workers.forEachRange(rows, grain: rowGrain) { range in
            for row in range { (x + row * width).update(from: bias, count: width) }
        }
    }

    /// `y = x + residual`, element-wise over `count` values.
    static func add(_ x: UnsafePointer<Float>, _ residual: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        Workers.forEachRange(count, grain: valueGrain) { range in
            for index in range { y[index] = x[index] + residual[index] }
        }
    }

    /// LayerNorm of each row in place; keeps the normalised values and each row's 1/σ for the backward pass.
    static func layerNorm(
        _ x: UnsafeMutablePointer<Float>, normalized: UnsafeMutablePointer<Float>, inverseDeviation: UnsafeMutablePointer<Float>,
        gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, rows: Int, width: Int, epsilon: Float
    ) {
        Workers.forEachRange(rows, grain: rowGrain) { range in
            let offset = range.lowerBound * width
            lora_layer_norm(
                x + offset, normalized + offset, inverseDeviation + range.lowerBound, gamma, beta, range.count, width,
                epsilon)
        }
    }

    /// The gradient of LayerNorm's input from its output gradient `dy`, written to `dx`.
    static func layerNormBackward(
        _ dy: UnsafePointer<Float>, normalized: UnsafePointer<Float>, inverseDeviation: UnsafePointer<Float>,
        gamma: UnsafePointer<Float>, into dx: UnsafeMutablePointer<Float>, rows: Int, width: Int
    ) {
        Workers.forEachRange(rows, grain: rowGrain) { range in
            for row in range {
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
    }

    /// Exact GELU, `x · Φ(x)` with the error function, from `x` into `y`.
    static func gelu(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        Workers.forEachRange(count, grain: valueGrain, alignment: 16) { range in
            lora_gelu(x + range.lowerBound, y + range.lowerBound, range.count)
        }
    }

    /// Multiplies `dy` in place by GELU's derivative at the pre-activation `x`.
    static func geluBackward(_ x: UnsafePointer<Float>, _ dy: UnsafeMutablePointer<Float>, count: Int) {
        Workers.forEachRange(count, grain: valueGrain, alignment: 16) { range in
            lora_gelu_backward(x + range.lowerBound, dy + range.lowerBound, range.count)
        }
    }

    /// Softmax of each row in place over the columns where `keyMask` is 1; masked columns become 0.
    static func maskedSoftmax(_ x: UnsafeMutablePointer<Float>, keyMask: UnsafePointer<Float>, rows: Int, width: Int) {
        lora_masked_softmax(x, keyMask, rows, width)
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
