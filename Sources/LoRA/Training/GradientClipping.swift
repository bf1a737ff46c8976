/// Gradient scaling and norm clipping over a set of parameters, as the training loop applies them.
public enum GradientClipping {
    /// Scales every gradient so their global L2 norm is at most `maxNorm`, as `torch.nn.utils.clip_grad_norm_`.
    ///
    /// Returns the norm before clipping, summed in Double. Gradients are multiplied by
    /// `maxNorm / (norm + 1e-6)` only when `maxNorm > 0` and the norm exceeds it.
    @discardableResult
    public static func clipNorm(_ parameters: inout [Parameter], maxNorm: Double) -> Double {
        var sum: Double = 0
        for parameter in parameters {
            parameter.gradient.withUnsafeBufferPointer { gradient in
                for g in gradient { sum += Double(g) * Double(g) }
            }
        }
        let norm = sum.squareRoot()
        if maxNorm > 0, norm > maxNorm { scale(&parameters, by: Float(maxNorm / (norm + 1e-6))) }
        return norm
    }

    /// Divides every gradient by `steps`, turning a sum over accumulated micro-batches into their mean.
    public static func average(_ parameters: inout [Parameter], overAccumulationSteps steps: Int) {
        precondition(steps > 0, "accumulation steps must be positive")
        guard steps > 1 else { return }
        let divisor = Float(steps)
        for index in parameters.indices {
            parameters[index].gradient.withUnsafeMutableBufferPointer { gradient in
                for i in 0..<gradient.count { gradient[i] /= divisor }
            }
        }
    }

    /// Multiplies every gradient by `factor`.
    public static func scale(_ parameters: inout [Parameter], by factor: Float) {
        for index in parameters.indices {
            parameters[index].gradient.withUnsafeMutableBufferPointer { gradient in
                for i in 0..<gradient.count { gradient[i] *= factor }
            }
        }
    }
}
