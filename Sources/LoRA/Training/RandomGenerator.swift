/// A xoshiro256** generator seeded by SplitMix64, whose state can be saved and restored exactly.
///
/// Every random choice of a training run (LoRA initialization, data order, dropout) draws from
/// one generator, so a run is reproducible from its seed and resumable from its saved state.
public struct RandomGenerator: RandomNumberGenerator, Sendable, Equatable {
    /// The generator's four state words; never all zero.
    public private(set) var state: State

    /// A generator seeded as the xoshiro authors recommend: four outputs of SplitMix64 from `seed`.
    public init(seed: UInt64) {
        var splitMix = seed
        func next() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = State(next(), next(), next(), next())
    }

    /// A generator continuing from a saved state, which must not be all zero.
    public init(state: State) {
        precondition(state.isValid, "a xoshiro256** state must not be all zero")
        self.state = state
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = (state.s1 &* 5).rotatedLeft(by: 7) &* 9
        let t = state.s1 << 17
        state.s2 ^= state.s0
        state.s3 ^= state.s1
        state.s1 ^= state.s2
        state.s0 ^= state.s3
        state.s2 ^= t
        state.s3 = state.s3.rotatedLeft(by: 45)
        return result
    }

    /// A Float uniform in [0, 1), from the top 24 bits of the next output.
    public mutating func nextFloat() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// A Float uniform in [low, high).
    public mutating func uniform(_ low: Float, _ high: Float) -> Float { low + (high - low) * nextFloat() }

    /// An integer uniform in 0..<bound, by Lemire's multiply-and-reject method.
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "the bound must be positive")
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold { product = next().multipliedFullWidth(by: range) }
        }
        return Int(product.high)
    }

    /// Shuffles `elements` in place by Fisher–Yates, the same way for the same state on every platform.
    public mutating func shuffle<Element>(_ elements: inout [Element]) {
        guard elements.count > 1 else { return }
        for i in stride(from: elements.count - 1, to: 0, by: -1) {
            elements.swapAt(i, nextInt(below: i + 1))
        }
    }

    /// The numbers 0..<count in an order shuffled by `shuffle`.
    public mutating func permutation(of count: Int) -> [Int] {
        var order = Array(0..<count)
        shuffle(&order)
        return order
    }
}

extension UInt64 {
    fileprivate func rotatedLeft(by count: UInt64) -> UInt64 { (self << count) | (self >> (64 - count)) }
}
