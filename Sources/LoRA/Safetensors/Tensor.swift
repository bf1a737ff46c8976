/// A tensor to write: element type, shape and little-endian row-major bytes.
public struct Tensor: Equatable, Sendable {
    /// The element type.
    public var dtype: SafetensorsDType
    /// The dimensions, outermost first.
    public var shape: [Int]
    /// The elements' bytes, little-endian, row-major.
    public var bytes: [UInt8]

    /// A tensor of raw bytes; the writer checks that their count matches the shape.
    public init(dtype: SafetensorsDType, shape: [Int], bytes: [UInt8]) {
        self.dtype = dtype
        self.shape = shape
        self.bytes = bytes
    }

    /// A tensor of Floats stored as F32, or rounded (to nearest even) into F16, BF16 or F64.
    public init(_ floats: [Float], shape: [Int], as dtype: SafetensorsDType = .f32) {
        precondition([.f32, .f16, .bf16, .f64].contains(dtype), "Tensor(_:shape:as:) takes a floating-point dtype")
        self.init(dtype: dtype, shape: shape, bytes: FloatConversion.bytes(from: floats, dtype: dtype) ?? [])
    }

    /// A tensor of 64-bit integers stored as I64.
    public init(int64 integers: [Int64], shape: [Int]) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(integers.count * 8)
        for integer in integers { withUnsafeBytes(of: integer.littleEndian) { bytes.append(contentsOf: $0) } }
        self.init(dtype: .i64, shape: shape, bytes: bytes)
    }
}
