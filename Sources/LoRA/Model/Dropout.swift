/// The adapters' dropout masks of one training forward pass, drawn from a seed instead of a
/// running generator: element `e` of a site's mask depends only on the seed, the site and `e`, so
/// a batch split into shards on several threads draws exactly the masks it draws whole.
struct Dropout: Sendable {
    /// The pass's seed, drawn once from the training run's generator.
    let seed: UInt64
    /// The probability that an input is zeroed.
    let probability: Float
    /// The batch row that this shard's row 0 is.
    var firstRow = 0

    /// The inverted-dropout factors of `rows` rows of `width` inputs at `layer`'s `module`: 0 with
    /// probability `probability`, else 1 / (1 − probability).
    func mask(layer: Int, module: TargetModule, rows: Int, width: Int) -> FloatBuffer {
        let mask = FloatBuffer(uninitialized: rows * width)
        let kept = 1 / (1 - probability)
        let threshold = UInt32(min(Double(probability) * 4_294_967_296, 4_294_967_295))
        let moduleIndex = TargetModule.allCases.firstIndex(of: module)!
        let site = Self.mix(seed ^ Self.mix(UInt64(layer * TargetModule.allCases.count + moduleIndex)))
        let first = firstRow * width
        for position in 0..<(rows * width) {
            // Two masks per 64 random bits: the low half for an even element, the high for an odd.
            let element = first + position
            let bits = Self.mix(site &+ UInt64(element >> 1)) >> (UInt64(element & 1) * 32)
            mask.base[position] = UInt32(truncatingIfNeeded: bits) < threshold ? 0 : kept
        }
        return mask
    }

    /// SplitMix64's finaliser: a bijection of 64-bit values whose outputs look independent.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
