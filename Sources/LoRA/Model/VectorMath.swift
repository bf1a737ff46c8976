/// `exp` and `erf` eight lanes at a time, for the encoder's element-wise passes (GELU, softmax),
/// where glibc's scalar `expf` and `erff` would cost more than the matrix products around them.
///
/// Accuracy: `exp` is Cephes' `expf` (relative error about 2e-7 over the float range); `erf` is
/// Abramowitz & Stegun 7.1.26 (absolute error under 1.5e-7 in exact arithmetic, under 6e-7 in
/// Float). Both are far inside the 1e-4 the reference tests allow.
enum VectorMath {
    typealias Lanes = SIMD8<Float>

    /// The lane count.
    static let width = Lanes.scalarCount

    /// `e^x` in each lane; inputs are clamped to [-87.3, 88], the range where the result is a normal float.
    @inline(__always)
    static func exp(_ x: Lanes) -> Lanes {
        let x = clamped(x, -87.3, 88)
        // n = round(x / ln 2) by the 1.5 · 2^23 trick (round to nearest even, in the default mode).
        let magic = Lanes(repeating: 12_582_912)
        let n = (x * 1.442_695_04 + magic) - magic
        // r = x - n · ln 2, with ln 2 split in two so that r stays exact.
        var r = x - n * 0.693_359_375
        r = r - n * -2.121_944_40e-4
        var p = Lanes(repeating: 1.987_569_15e-4)
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_91e-3
        p = p * r + 4.166_579_59e-2
        p = p * r + 1.666_666_55e-1
        p = p * r + 5.000_000_12e-1
        p = p * (r * r) + r + 1
        // 2^n from the bits: n + 127 in the exponent field.
        let biased = unsafeBitCast(n + Lanes(repeating: 8_388_735), to: SIMD8<UInt32>.self)  // 2^23 + 127 + n
        let scale = unsafeBitCast(biased &<< 23, to: Lanes.self)
        return p * scale
    }

    /// `erf(x)` in each lane.
    @inline(__always)
    static func erf(_ x: Lanes) -> Lanes {
        let magnitude = absolute(x)
        let t = 1 / (magnitude * 0.327_591_1 + 1)
        var poly = Lanes(repeating: 1.061_405_429)
        poly = poly * t - 1.453_152_027
        poly = poly * t + 1.421_413_741
        poly = poly * t - 0.284_496_736
        poly = poly * t + 0.254_829_592
        poly = poly * t
        let value = 1 - poly * exp(-(magnitude * magnitude))
        return value.replacing(with: -value, where: x .< 0)
    }

    /// `x · Φ(x)`, the exact GELU, in each lane.
    @inline(__always)
    static func gelu(_ x: Lanes) -> Lanes {
        0.5 * x * (1 + erf(x * 0.707_106_781_186_547_5))
    }

    /// Each lane limited to `lower...upper`, by compare-and-select, which compiles to vector
    /// instructions (the standard library's generic `pointwiseMin` is not inlined, and a lane loop
    /// is not vectorised).
    @inline(__always)
    static func clamped(_ x: Lanes, _ lower: Float, _ upper: Float) -> Lanes {
        let low = Lanes(repeating: lower), high = Lanes(repeating: upper)
        return x.replacing(with: low, where: x .< low).replacing(with: high, where: x .> high)
    }

    /// `|x|` in each lane, by compare-and-select for the same reason.
    @inline(__always)
    static func absolute(_ x: Lanes) -> Lanes {
        x.replacing(with: -x, where: x .< 0)
    }

    /// GELU's derivative `Φ(x) + x · φ(x)` in each lane.
    @inline(__always)
    static func geluDerivative(_ x: Lanes) -> Lanes {
        let cdf = 0.5 * (1 + erf(x * 0.707_106_781_186_547_5))
        let pdf = 0.398_942_280_401_432_7 * exp(-0.5 * x * x)
        return cdf + x * pdf
    }
}
