/// A safetensors file that cannot be read or written, with the file, the tensor and what is wrong.
public enum SafetensorsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened, sized or mapped.
    case cannotOpen(file: String, reason: String)
    /// The file is shorter than the 8-byte header length prefix.
    case tooSmall(file: String, size: Int)
    /// The header length prefix is larger than the file or than the 100 MB limit.
    case headerLength(file: String, length: UInt64, fileSize: Int)
    /// The header is not valid UTF-8 JSON describing an object of tensors.
    case invalidHeader(file: String, reason: String)
    /// One tensor entry of the header is malformed or disagrees with the data buffer.
    case invalidTensor(file: String, tensor: String, reason: String)
    /// The tensors do not tile the data buffer exactly (truncated file or trailing bytes).
    case incompleteBuffer(file: String, reason: String)
    /// No tensor of that name is in the file.
    case noSuchTensor(file: String, tensor: String)
    /// The tensor's dtype cannot be converted to Float.
    case notFloatingPoint(file: String, tensor: String, dtype: SafetensorsDType)
    /// A tensor handed to the writer is inconsistent.
    case invalidInput(tensor: String, reason: String)
    /// Writing, syncing or renaming the output failed.
    case writeFailed(file: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotOpen(file, reason):
            "\(file): cannot open safetensors file: \(reason)"
        case let .tooSmall(file, size):
            "\(file): not a safetensors file: \(size) bytes, shorter than the 8-byte header length"
        case let .headerLength(file, length, fileSize):
            "\(file): header length \(length) is larger than "
                + (length > SafetensorsLimits.maxHeaderLength
                    ? "the \(SafetensorsLimits.maxHeaderLength)-byte limit" : "the \(fileSize)-byte file")
        case let .invalidHeader(file, reason):
            "\(file): invalid safetensors header: \(reason)"
        case let .invalidTensor(file, tensor, reason):
            "\(file): tensor \"\(tensor)\": \(reason)"
        case let .incompleteBuffer(file, reason):
            "\(file): data buffer does not match the header: \(reason)"
        case let .noSuchTensor(file, tensor):
            "\(file): no tensor named \"\(tensor)\""
        case let .notFloatingPoint(file, tensor, dtype):
            "\(file): tensor \"\(tensor)\" has dtype \(dtype.rawValue), which does not convert to Float"
        case let .invalidInput(tensor, reason):
            "cannot write tensor \"\(tensor)\": \(reason)"
        case let .writeFailed(file, reason):
            "\(file): cannot write safetensors file: \(reason)"
        }
    }
}

/// Limits a reader enforces before trusting a header.
enum SafetensorsLimits {
    /// The largest header accepted, as in the Rust crate's MAX_HEADER_SIZE.
    static let maxHeaderLength: UInt64 = 100_000_000
    /// The deepest JSON nesting accepted in a header.
    static let maxJSONDepth = 64
}
