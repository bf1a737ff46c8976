/// An element type of a safetensors tensor, spelled as in the header.
public enum SafetensorsDType: String, CaseIterable, Sendable {
    // Declared in the Rust crate's order, which is ascending alignment; the writer relies on it.
    case bool = "BOOL"
    case u8 = "U8"
    case i8 = "I8"
    case f8E5M2 = "F8_E5M2"
    case f8E4M3 = "F8_E4M3"
    case i16 = "I16"
    case u16 = "U16"
    case f16 = "F16"
    case bf16 = "BF16"
    case i32 = "I32"
    case u32 = "U32"
    case f32 = "F32"
    case f64 = "F64"
    case i64 = "I64"
    case u64 = "U64"

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .bool, .u8, .i8, .f8E5M2, .f8E4M3: 1
        case .i16, .u16, .f16, .bf16: 2
        case .i32, .u32, .f32: 4
        case .f64, .i64, .u64: 8
        }
    }

    /// Position in the Rust crate's declaration order (ascending alignment).
    var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }
}
