extension AdamW {
    /// Everything AdamW remembers between steps; restoring it continues a run bit for bit.
    public struct State: Sendable, Equatable {
        /// The number of steps taken.
        public var step: Int
        /// The moments of each parameter, in the order the parameters are passed to `step`.
        public var moments: [Moments]

        /// A state before the first step.
        public init() {
            step = 0
            moments = []
        }

        /// A state with the given step count and moments.
        public init(step: Int, moments: [Moments]) {
            self.step = step
            self.moments = moments
        }

        /// A state at `step` with zero moments for `parameters`.
        init(step: Int, zeroMomentsFor parameters: [Parameter]) {
            self.step = step
            moments = parameters.map {
                Moments(name: $0.name, firstMoment: Array(repeating: 0, count: $0.value.count),
                        secondMoment: Array(repeating: 0, count: $0.value.count))
            }
        }
    }

    /// The running averages AdamW keeps for one parameter.
    public struct Moments: Sendable, Equatable {
        /// The parameter's name.
        public var name: String
        /// The running average of the gradient (PyTorch's `exp_avg`).
        public var firstMoment: [Float]
        /// The running average of the squared gradient (PyTorch's `exp_avg_sq`).
        public var secondMoment: [Float]

        /// Moments for the parameter `name`.
        public init(name: String, firstMoment: [Float], secondMoment: [Float]) {
            precondition(firstMoment.count == secondMoment.count, "\(name): moments of different sizes")
            self.name = name
            self.firstMoment = firstMoment
            self.secondMoment = secondMoment
        }
    }
}
