/// Where one tensor of a safetensors file lives and how to read it.
public struct TensorInfo: Equatable, Sendable {
    /// The element type.
    public let dtype: SafetensorsDType
    /// The dimensions, outermost first (row-major).
    public let shape: [Int]
    /// The bytes within the data buffer (after the header), end exclusive.
    public let byteRange: Range<Int>

    /// The number of elements, the product of the shape (1 for a scalar).
    public var elementCount: Int { byteRange.count / dtype.size }
}
