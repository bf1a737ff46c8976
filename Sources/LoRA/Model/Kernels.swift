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

    /// LayerNorm of each row in place, after adding `residual` to `x` when given; keeps the
    /// normalised values and each row's 1/σ for the backward pass.
    static func layerNorm(
        _ x: UnsafeMutablePointer<Float>, adding residual: UnsafePointer<Float>?, normalized: UnsafeMutablePointer<Float>,
        inverseDeviation: UnsafeMutablePointer<Float>, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
        rows: Int, width: Int, epsilon: Float
    ) {
        Workers.forEachRange(rows, grain: rowGrain) { range in
            let offset = range.lowerBound * width
            lora_layer_norm(
                x + offset, residual.map { $0 + offset }, normalized + offset, inverseDeviation + range.lowerBound,
                gamma, beta, range.count, width, epsilon)
        }
    }

    /// The gradient of LayerNorm's input from its output gradient `dy`, written to `dx`.
    static func layerNormBackward(
        _ dy: UnsafePointer<Float>, normalized: UnsafePointer<Float>, inverseDeviation: UnsafePointer<Float>,
        gamma: UnsafePointer<Float>, into dx: UnsafeMutablePointer<Float>, rows: Int, width: Int
    ) {
        Workers.forEachRange(rows, grain: rowGrain) { range in
            let offset = range.lowerBound * width
            lora_layer_norm_backward(
                dy + offset, normalized + offset, inverseDeviation + range.lowerBound, gamma, dx + offset, range.count,
                width)
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

    /// Softmax of each row in place.
    static func softmax(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        lora_softmax(x, rows, width)
    }

    /// Turns `dp`, the gradient of softmax outputs `p`, into the gradient of the scores, in place.
    static func softmaxBackward(_ p: UnsafePointer<Float>, _ dp: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        lora_softmax_backward(p, dp, rows, width)
    }
}
