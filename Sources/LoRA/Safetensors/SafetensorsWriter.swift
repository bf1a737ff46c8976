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
        guard descriptor >= 0 else { throw .writeFailed(file: path, reason: "cannot create \(temporary): \(POSIXFile.errnoText())") }
        do throws(SafetensorsError) {
            for bytes in [header] + ordered.map(\.bytes) {
                if let reason = POSIXFile.writeAll(bytes, to: descriptor) { throw .writeFailed(file: path, reason: reason) }
            }
            guard fsync(descriptor) == 0 else { throw .writeFailed(file: path, reason: "fsync: \(POSIXFile.errnoText())") }
            guard close(descriptor) == 0 else {
                throw .writeFailed(file: path, reason: "close: \(POSIXFile.errnoText())")
            }
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let reason = POSIXFile.errnoText()
            unlink(temporary)
            throw .writeFailed(file: path, reason: "rename from \(temporary): \(reason)")
        }
        POSIXFile.syncDirectory(POSIXFile.parent(of: path))
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
            let members = metadata.sorted { $0.key < $1.key }.map { "\(JSONString.quoted($0.key)):\(JSONString.quoted($0.value))" }
            json += "\"__metadata__\":{\(members.joined(separator: ","))}"
        }
        var offset = 0
        for (name, tensor) in ordered {
            try check(tensor, name: name)
            if json.count > 1 { json += "," }
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            json += "\(JSONString.quoted(name)):{\"dtype\":\"\(tensor.dtype.rawValue)\",\"shape\":[\(shape)],"
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
}
