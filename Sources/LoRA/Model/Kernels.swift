import Foundation

/// Element-wise and row-wise passes of the encoder, forward and backward, on flat row-major
/// buffers. The large ones are split over the workers; GELU and softmax use `VectorMath`.
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
            for row in range {
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
        Workers.forEachRange(count, grain: valueGrain, alignment: VectorMath.width) { range in
            forEachLanes(range) { index, valid in
                store(VectorMath.gelu(load(x + index, valid)), to: y + index, valid)
            }
        }
    }

    /// Multiplies `dy` in place by GELU's derivative at the pre-activation `x`.
    static func geluBackward(_ x: UnsafePointer<Float>, _ dy: UnsafeMutablePointer<Float>, count: Int) {
        Workers.forEachRange(count, grain: valueGrain, alignment: VectorMath.width) { range in
            forEachLanes(range) { index, valid in
                let derivative = VectorMath.geluDerivative(load(x + index, valid))
                store(load(dy + index, valid) * derivative, to: dy + index, valid)
            }
        }
    }

    /// Softmax of each row in place over the columns where `keyMask` is 1; masked columns become 0.
    static func maskedSoftmax(_ x: UnsafeMutablePointer<Float>, keyMask: UnsafePointer<Float>, rows: Int, width: Int) {
        for row in 0..<rows {
            let line = x + row * width
            var maxima = VectorMath.Lanes(repeating: -.greatestFiniteMagnitude)
            forEachLanes(0..<width) { column, valid in
                let kept = load(keyMask + column, valid) .!= 0
                maxima = maxima.replacing(with: load(line + column, valid), where: kept .& (load(line + column, valid) .> maxima))
            }
            let maximum = maxima.max()
            var sums = VectorMath.Lanes()
            forEachLanes(0..<width) { column, valid in
                let kept = load(keyMask + column, valid) .!= 0
                let values = VectorMath.exp(load(line + column, valid) - maximum)
                let masked = VectorMath.Lanes().replacing(with: values, where: kept)
                sums += masked
                store(masked, to: line + column, valid)
            }
            let sum = sums.sum()
            let inverse = sum > 0 ? 1 / sum : 0
            forEachLanes(0..<width) { column, valid in
                store(load(line + column, valid) * inverse, to: line + column, valid)
            }
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

    // MARK: - Lanes

    /// Calls `body(index, valid)` for each run of up to eight values of `range`; `valid` is how
    /// many of the eight are inside it (eight but for the last run).
    @inline(__always)
    private static func forEachLanes(_ range: Range<Int>, _ body: (Int, Int) -> Void) {
        var index = range.lowerBound
        while index < range.upperBound {
            body(index, min(VectorMath.width, range.upperBound - index))
            index += VectorMath.width
        }
    }

    /// The first `valid` values at `pointer`, zeros in the other lanes.
    @inline(__always)
    private static func load(_ pointer: UnsafePointer<Float>, _ valid: Int) -> VectorMath.Lanes {
        if valid == VectorMath.width {
            return UnsafeRawPointer(pointer).loadUnaligned(as: VectorMath.Lanes.self)
        }
        var lanes = VectorMath.Lanes()
        for lane in 0..<valid { lanes[lane] = pointer[lane] }
        return lanes
    }

    @inline(__always)
    private static func load(_ pointer: UnsafeMutablePointer<Float>, _ valid: Int) -> VectorMath.Lanes {
        load(UnsafePointer(pointer), valid)
    }

    /// Writes the first `valid` lanes to `pointer`.
    @inline(__always)
    private static func store(_ lanes: VectorMath.Lanes, to pointer: UnsafeMutablePointer<Float>, _ valid: Int) {
        if valid == VectorMath.width {
            UnsafeMutableRawPointer(pointer).storeBytes(of: lanes, as: VectorMath.Lanes.self)
            return
        }
        for lane in 0..<valid { pointer[lane] = lanes[lane] }
    }
}
