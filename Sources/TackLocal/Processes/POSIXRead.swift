#if canImport(Glibc)
import Glibc
#endif

/// Small whole-file reads with plain POSIX calls (for /proc files and logs).
enum POSIXRead {
    /// The whole file as UTF-8 text (invalid bytes repaired).
    static func string(atPath path: String) throws(LocalRuntimeError) -> String {
        String(decoding: try bytes(atPath: path), as: UTF8.self)
    }

    /// The whole file's bytes.
    static func bytes(atPath path: String) throws(LocalRuntimeError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(path: path, errno: errno) }
        defer { close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, errno: errno)
            }
            if count == 0 { return result }
            result.append(contentsOf: chunk[..<count])
        }
    }

    /// The last `limit` bytes of a file as text, or "" when it cannot be read.
    static func tail(atPath path: String, limit: Int) -> String {
        guard let bytes = try? bytes(atPath: path) else { return "" }
        return String(decoding: bytes.suffix(limit), as: UTF8.self)
    }
}
