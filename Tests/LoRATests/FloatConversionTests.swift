import Testing
@testable import LoRA

@Suite("half-precision conversion")
struct FloatConversionTests {
    #if !(os(macOS) && arch(x86_64))
    @Test("every F16 bit pattern decodes to the same Float as the standard library's Float16")
    func halfDecodingIsExact() {
        for bits in UInt16.min...UInt16.max {
            let expected = Float(Float16(bitPattern: bits))
            let decoded = FloatConversion.float(half: bits)
            #expect(decoded.bitPattern == expected.bitPattern || (decoded.isNaN && expected.isNaN), "\(bits)")
        }
    }

    @Test("encoding to F16 rounds to nearest even exactly as Float16(Float) does, across every exponent")
    func halfEncodingRoundsLikeFloat16() {
        var generator = SystemRandomNumberGenerator()
        var mismatches: [UInt32] = []
        for exponent in UInt32(0)...255 {
            for _ in 0..<2_000 {
                let bits = exponent << 23 | UInt32.random(in: 0...0x7F_FFFF, using: &generator) | (Bool.random() ? 0x8000_0000 : 0)
                let value = Float(bitPattern: bits)
                let expected = Float16(value)
                let encoded = FloatConversion.half(from: value)
                if encoded != expected.bitPattern && !(value.isNaN && Float16(bitPattern: encoded).isNaN) { mismatches.append(bits) }
            }
        }
        // Ties and the subnormal/overflow boundaries, where rounding is easiest to get wrong.
        for value: Float in [0x1p-25, 0x1.8p-25, 0x1p-24, 0x1.8p-24, 65504, 65519.996, 65520, 1 + 0x1p-11, 1 + 0x3p-11] {
            if FloatConversion.half(from: value) != Float16(value).bitPattern { mismatches.append(value.bitPattern) }
        }
        #expect(mismatches.isEmpty)
    }
    #endif

    @Test("encoding to BF16 rounds to nearest even and keeps NaN a NaN")
    func bfloatRounding() {
        #expect(FloatConversion.bfloat(from: 1) == 0x3F80)
        #expect(FloatConversion.bfloat(from: Float(bitPattern: 0x3F80_8000)) == 0x3F80)  // tie, even stays
        #expect(FloatConversion.bfloat(from: Float(bitPattern: 0x3F81_8000)) == 0x3F82)  // tie, odd rounds up
        #expect(FloatConversion.bfloat(from: Float(bitPattern: 0x3F80_8001)) == 0x3F81)
        #expect(FloatConversion.bfloat(from: .greatestFiniteMagnitude) == 0x7F80)      // overflows to infinity
        #expect(FloatConversion.float(bfloat: FloatConversion.bfloat(from: .nan)).isNaN)
    }
}
