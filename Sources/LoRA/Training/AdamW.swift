import Foundation

/// The AdamW optimizer with decoupled weight decay, computed as `torch.optim.AdamW` computes it.
///
/// Hyperparameters are doubles, as Python floats are in PyTorch; each is rounded to Float where
/// PyTorch rounds it, when it meets a float32 tensor.
public struct AdamW: Sendable, Equatable {
    /// The decay rate of the first moment (PyTorch's `betas[0]`).
    public var beta1: Double
    /// The decay rate of the second moment (PyTorch's `betas[1]`).
    public var beta2: Double
    /// The term added to the denominator for stability.
    public var epsilon: Double
    /// The decoupled weight decay coefficient.
    public var weightDecay: Double
    /// The step count and moments, saved in checkpoints to resume exactly.
    public var state: State

    /// An optimizer with PyTorch's defaults, starting from `state` (fresh by default).
    public init(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, weightDecay: Double = 0.01, state: State = State()) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.state = state
    }

    /// Updates every parameter from its gradient with `learningRate`; gradients are left as they are.
    ///
    /// The first step creates zero moments for `parameters`; later steps need the same parameters
    /// in the same order.
    public mutating func step(_ parameters: inout [Parameter], learningRate: Double) {
        if state.moments.isEmpty { state = State(step: state.step, zeroMomentsFor: parameters) }
        precondition(state.moments.map(\.name) == parameters.map(\.name), "AdamW state was made for other parameters")
        state.step += 1
        let step = Double(state.step)
        let biasCorrection1 = 1 - pow(beta1, step)
        let biasCorrection2 = 1 - pow(beta2, step)
        let coefficients = Coefficients(
            decay: Float(1 - learningRate * weightDecay), beta1: Float(beta1), oneMinusBeta1: Float(1 - beta1),
            beta2: Float(beta2), oneMinusBeta2: Float(1 - beta2), correction2Root: Float(biasCorrection2.squareRoot()),
            epsilon: Float(epsilon), negativeStepSize: Float(-(learningRate / biasCorrection1)))
        for index in parameters.indices {
            let gradient = parameters[index].gradient
            var first: [Float] = []
            var second: [Float] = []
            swap(&first, &state.moments[index].firstMoment)
            swap(&second, &state.moments[index].secondMoment)
            parameters[index].value.withUnsafeMutableBufferPointer { value in
                gradient.withUnsafeBufferPointer { gradient in
                    first.withUnsafeMutableBufferPointer { first in
                        second.withUnsafeMutableBufferPointer { second in
                            Self.update(value, gradient: gradient, first: first, second: second, coefficients)
                        }
                    }
                }
            }
            swap(&first, &state.moments[index].firstMoment)
            swap(&second, &state.moments[index].secondMoment)
        }
    }

    /// The step's scalars, each already rounded to Float.
    private struct Coefficients {
        let decay, beta1, oneMinusBeta1, beta2, oneMinusBeta2, correction2Root, epsilon, negativeStepSize: Float
    }

    /// One parameter's update, in the order of PyTorch's `_single_tensor_adam` with decoupled decay.
    private static func update(
        _ value: UnsafeMutableBufferPointer<Float>, gradient: UnsafeBufferPointer<Float>,
        first: UnsafeMutableBufferPointer<Float>, second: UnsafeMutableBufferPointer<Float>, _ c: Coefficients
    ) {
        precondition(gradient.count == value.count && first.count == value.count && second.count == value.count)
        for i in 0..<value.count {
            let g = gradient[i]
            let m = c.beta1 * first[i] + c.oneMinusBeta1 * g
            let v = c.beta2 * second[i] + c.oneMinusBeta2 * g * g
            first[i] = m
            second[i] = v
            let denominator = v.squareRoot() / c.correction2Root + c.epsilon
            value[i] = value[i] * c.decay + c.negativeStepSize * m / denominator
        }
    }
}
