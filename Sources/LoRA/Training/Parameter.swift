/// A named trainable tensor, flat row-major, with the gradient accumulated for it.
public struct Parameter: Sendable, Equatable {
    /// The tensor's key in a PEFT adapter file, e.g.
    /// `base_model.model.encoder.layer.0.attention.self.query.lora_A.weight`.
    public let name: String
    /// The dimensions, outermost first (`[r, in]` for lora_A, `[out, r]` for lora_B).
    public let shape: [Int]
    /// The current values.
    public var value: [Float]
    /// The gradient summed since it was last zeroed; same count as `value`.
    public var gradient: [Float]

    /// A parameter with the given values and a zero gradient.
    public init(name: String, shape: [Int], value: [Float]) {
        precondition(shape.reduce(1, *) == value.count, "\(name): \(value.count) values for shape \(shape)")
        self.name = name
        self.shape = shape
        self.value = value
        self.gradient = [Float](repeating: 0, count: value.count)
    }

    /// Adds `other`, a gradient of the same count, to the gradient.
    mutating func addGradient(_ other: [Float]) {
        precondition(other.count == gradient.count, "\(name): adding \(other.count) gradients to \(gradient.count)")
        for index in gradient.indices { gradient[index] += other[index] }
    }

    /// Sets the gradient to zero.
    public mutating func zeroGradient() {
        for index in gradient.indices { gradient[index] = 0 }
    }
}
