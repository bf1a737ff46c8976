/// Conversions between Float and the little-endian F32, F16, BF16 and F64 encodings.
///
/// Half precision is converted by hand rather than with `Float16`, which macOS on x86_64 lacks.
enum FloatConversion {
    /// Decodes `bytes` of `dtype` into Floats; nil when the dtype is not floating point.
    static func floats(from bytes: UnsafeRawBufferPointer, dtype: SafetensorsDType) -> [Float]? {
        let count = bytes.count / dtype.size
        switch dtype {
        case .f32:
            return (0..<count).map { Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        case .f16:
            return (0..<count).map { float(half: UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self))) }
        case .bf16:
            return (0..<count).map { float(bfloat: UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self))) }
        case .f64:
            return (0..<count).map { Float(Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self)))) }
        default:
            return nil
        }
    }

    /// Encodes Floats as little-endian bytes of `dtype` (F32, F16, BF16 or F64), rounding to nearest even.
    static func bytes(from floats: [Float], dtype: SafetensorsDType) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(floats.count * dtype.size)
        func append<T: FixedWidthInteger>(_ value: T) {
            withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
        }
        switch dtype {
        case .f32: floats.forEach { append($0.bitPattern) }
        case .f16: floats.forEach { append(half(from: $0)) }
        case .bf16: floats.forEach { append(bfloat(from: $0)) }
        case .f64: floats.forEach { append(Double($0).bitPattern) }
        default: return nil
        }
        return bytes
    }

    /// The Float an IEEE 754 binary16 bit pattern denotes (exact).
    static func float(half bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let mantissa = UInt32(bits) & 0x3FF
        switch exponent {
        case 0:
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        case 0x1F:
            return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13)
        default:
            return Float(bitPattern: sign | (exponent + 112) << 23 | mantissa << 13)
        }
    }

    /// The nearest binary16 bit pattern to `value` (ties to even; overflow to infinity; NaN stays NaN).
    static func half(from value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16(truncatingIfNeeded: bits >> 16) & 0x8000
        let exponent = Int(bits >> 23) & 0xFF
        let mantissa = bits & 0x7F_FFFF
        if exponent == 0xFF {
            return sign | 0x7C00 | (mantissa == 0 ? 0 : 0x200 | UInt16(truncatingIfNeeded: mantissa >> 13))
        }
        let halfExponent = exponent - 127 + 15
        if halfExponent >= 0x1F { return sign | 0x7C00 }
        if halfExponent <= 0 {
            if halfExponent < -10 { return sign }
            let significand = mantissa | 0x80_0000
            let shift = UInt32(14 - halfExponent)
            return sign | UInt16(truncatingIfNeeded: roundShift(significand, by: shift))
        }
        let combined = UInt32(halfExponent) << 23 | mantissa
        return sign | UInt16(truncatingIfNeeded: roundShift(combined, by: 13))
    }

    /// The Float a bfloat16 bit pattern denotes (exact).
    static func float(bfloat bits: UInt16) -> Float { Float(bitPattern: UInt32(bits) << 16) }

    /// The nearest bfloat16 bit pattern to `value` (ties to even; NaN stays NaN).
    static func bfloat(from value: Float) -> UInt16 {
        let bits = value.bitPattern
        if value.isNaN { return UInt16(truncatingIfNeeded: bits >> 16) | 0x40 }
        return UInt16(truncatingIfNeeded: (bits &+ 0x7FFF &+ ((bits >> 16) & 1)) >> 16)
    }

    /// `value >> shift`, rounded to nearest with ties to even; a carry may spill into higher bits.
    private static func roundShift(_ value: UInt32, by shift: UInt32) -> UInt32 {
        let kept = value >> shift
        let remainder = value & ((1 << shift) - 1)
        let halfway: UInt32 = 1 << (shift - 1)
        return remainder > halfway || (remainder == halfway && kept & 1 == 1) ? kept + 1 : kept
    }
}
