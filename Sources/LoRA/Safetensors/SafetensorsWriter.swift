#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes safetensors files atomically: to a temporary file beside the target, fsynced, then renamed.
public enum SafetensorsWriter {
    /// Writes `tensors` (and `metadata` as `__metadata__` when given) to `path`, replacing it atomically.
    ///
    /// Tensors are laid out as the Rust crate lays them out: by descending dtype alignment, then
    /// by name, so every tensor is naturally aligned; the header is padded with spaces to a
    /// multiple of 8 bytes.
    public static func write(
        _ tensors: [String: Tensor], metadata: [String: String]? = nil, to path: String
    ) throws(SafetensorsError) {
        let (header, ordered) = try encode(tensors, metadata: metadata)
        let temporary = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else { throw .writeFailed(file: path, reason: "cannot create \(temporary): \(errnoText())") }
        do throws(SafetensorsError) {
            try writeAll(header, to: descriptor, path: path)
            for tensor in ordered { try writeAll(tensor.bytes, to: descriptor, path: path) }
            guard fsync(descriptor) == 0 else { throw .writeFailed(file: path, reason: "fsync: \(errnoText())") }
            guard close(descriptor) == 0 else {
                throw .writeFailed(file: path, reason: "close: \(errnoText())")
            }
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let reason = errnoText()
            unlink(temporary)
            throw .writeFailed(file: path, reason: "rename from \(temporary): \(reason)")
        }
        syncDirectory(of: path)
    }

    /// The file's first bytes (length prefix and padded header) and the tensors in data order.
    static func encode(
        _ tensors: [String: Tensor], metadata: [String: String]?
    ) throws(SafetensorsError) -> (header: [UInt8], ordered: [Tensor]) {
        let ordered = tensors.sorted {
            $0.value.dtype.rank != $1.value.dtype.rank ? $0.value.dtype.rank > $1.value.dtype.rank : $0.key < $1.key
        }
        var json = "{"
        if let metadata {
            let members = metadata.sorted { $0.key < $1.key }.map { "\(quoted($0.key)):\(quoted($0.value))" }
            json += "\"__metadata__\":{\(members.joined(separator: ","))}"
        }
        var offset = 0
        for (name, tensor) in ordered {
            try check(tensor, name: name)
            if json.count > 1 { json += "," }
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            json += "\(quoted(name)):{\"dtype\":\"\(tensor.dtype.rawValue)\",\"shape\":[\(shape)],"
                + "\"data_offsets\":[\(offset),\(offset + tensor.bytes.count)]}"
            offset += tensor.bytes.count
        }
        json += "}"
        var header = Array(json.utf8)
        header.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - header.count % 8) % 8))
        var bytes: [UInt8] = []
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes.append(contentsOf: $0) }
        return (bytes + header, ordered.map(\.value))
    }

    /// Rejects a tensor whose name, shape or byte count the format cannot carry.
    private static func check(_ tensor: Tensor, name: String) throws(SafetensorsError) {
        guard name != "__metadata__" else { throw .invalidInput(tensor: name, reason: "the name is reserved for metadata") }
        var count = 1
        for dimension in tensor.shape {
            guard dimension >= 0 else { throw .invalidInput(tensor: name, reason: "shape \(tensor.shape) has a negative entry") }
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw .invalidInput(tensor: name, reason: "shape \(tensor.shape) overflows") }
            count = product
        }
        let (expected, overflow) = count.multipliedReportingOverflow(by: tensor.dtype.size)
        guard !overflow, expected == tensor.bytes.count else {
            throw .invalidInput(tensor: name, reason: "shape \(tensor.shape) of \(tensor.dtype.rawValue) needs "
                + "\(overflow ? "more than Int.max" : String(expected)) bytes, got \(tensor.bytes.count)")
        }
    }

    /// `string` as a JSON string literal.
    static func quoted(_ string: String) -> String {
        var result = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws(SafetensorsError) {
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer in
                systemWrite(descriptor, buffer.baseAddress! + written, buffer.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw .writeFailed(file: path, reason: "write: \(errnoText())")
            }
            written += result
        }
    }

    /// Makes the rename durable; a failure here leaves a correct file, so it is not reported.
    private static func syncDirectory(of path: String) {
        let directory = path.contains("/") ? String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) : "."
        let descriptor = open(directory.isEmpty ? "/" : directory, O_RDONLY)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    private static func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(descriptor, bytes, count)
        #else
        Darwin.write(descriptor, bytes, count)
        #endif
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
