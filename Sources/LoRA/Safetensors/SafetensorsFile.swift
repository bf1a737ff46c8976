#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A safetensors file mapped read-only into memory, its header validated at open.
///
/// The mapping is immutable and lives as long as the object, so it is safe to share; byte views
/// handed to `withBytes` must not escape the closure. Truncating the file while it is open is
/// undefined (the kernel may raise SIGBUS), as with any mapped file.
public final class SafetensorsFile: @unchecked Sendable {
    /// The path the file was opened from, used in errors.
    public let path: String
    /// The tensors by name.
    public let tensors: [String: TensorInfo]
    /// The `__metadata__` map, empty when the file has none.
    public let metadata: [String: String]

    private let mapping: UnsafeRawBufferPointer?
    private let dataStart: Int

    /// Maps and validates the file at `path`.
    public init(path: String) throws(SafetensorsError) {
        self.path = path
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .cannotOpen(file: path, reason: Self.errnoText()) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .cannotOpen(file: path, reason: Self.errnoText()) }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw .cannotOpen(file: path, reason: "not a regular file") }
        let size = Int(status.st_size)
        guard size >= 8 else { throw .tooSmall(file: path, size: size) }

        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), base != MAP_FAILED else {
            throw .cannotOpen(file: path, reason: "mmap failed: \(Self.errnoText())")
        }
        let mapping = UnsafeRawBufferPointer(start: base, count: size)
        let header: SafetensorsHeader
        do throws(SafetensorsError) {
            header = try Self.readHeader(mapping, file: path)
        } catch {
            munmap(base, size)
            throw error
        }
        tensors = header.tensors
        metadata = header.metadata
        dataStart = size - header.bufferLength
        self.mapping = mapping
    }

    /// Reads the length prefix and validates the header it announces.
    private static func readHeader(_ mapping: UnsafeRawBufferPointer, file: String) throws(SafetensorsError) -> SafetensorsHeader {
        let size = mapping.count
        let headerLength = UInt64(littleEndian: mapping.loadUnaligned(as: UInt64.self))
        guard headerLength <= SafetensorsLimits.maxHeaderLength, headerLength <= UInt64(size - 8) else {
            throw .headerLength(file: file, length: headerLength, fileSize: size)
        }
        let headerEnd = 8 + Int(headerLength)
        return try SafetensorsHeader(bytes: Array(mapping[8..<headerEnd]), bufferLength: size - headerEnd, file: file)
    }

    deinit {
        if let mapping, let base = mapping.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), mapping.count) }
    }

    /// The tensor names in data-buffer order.
    public var names: [String] {
        tensors.sorted {
            ($0.value.byteRange.lowerBound, $0.value.byteRange.upperBound, $0.key)
                < ($1.value.byteRange.lowerBound, $1.value.byteRange.upperBound, $1.key)
        }.map(\.key)
    }

    /// The tensor's description, or `noSuchTensor`.
    public func info(_ name: String) throws(SafetensorsError) -> TensorInfo {
        guard let info = tensors[name] else { throw .noSuchTensor(file: path, tensor: name) }
        return info
    }

    /// Calls `body` with the tensor's raw little-endian bytes, without copying; they must not escape.
    public func withBytes<R>(of name: String, _ body: (UnsafeRawBufferPointer) -> R) throws(SafetensorsError) -> R {
        let range = try info(name).byteRange
        guard let mapping else { return body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return body(UnsafeRawBufferPointer(rebasing: mapping[(dataStart + range.lowerBound)..<(dataStart + range.upperBound)]))
    }

    /// The tensor's elements converted to Float (from F32, F16, BF16 or F64), in row-major order.
    public func floats(_ name: String) throws(SafetensorsError) -> [Float] {
        let dtype = try info(name).dtype
        guard let floats = try withBytes(of: name, { FloatConversion.floats(from: $0, dtype: dtype) }) else {
            throw .notFloatingPoint(file: path, tensor: name, dtype: dtype)
        }
        return floats
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
