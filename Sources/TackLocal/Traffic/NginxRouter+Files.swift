import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The router's file operations, with plain POSIX calls so that failures carry their errno.
extension NginxRouter {
    /// Renames `source` over `destination` (atomic on one file system).
    static func rename(_ source: String, to destination: String) throws(LocalRuntimeError) {
        guard Glibc.rename(source, destination) == 0 else { throw .io(path: destination, errno: errno) }
    }

    /// The size of the file at `path`, 0 when it is missing.
    static func size(of path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }

    /// nginx's emergency, alert and critical messages written to the log after `offset`.
    static func errors(in path: String, after offset: Int) -> [String] {
        guard let bytes = try? POSIXRead.bytes(atPath: path), bytes.count > offset else { return [] }
        return messages(in: String(decoding: bytes[offset...], as: UTF8.self))
    }

    /// The emergency, alert and critical messages in nginx's output, without time and pid:
    /// `[emerg] invalid port in upstream "127.0.0.1:0" in /prefix/nginx.conf.next:31`.
    static func messages(in output: String) -> [String] {
        output.split(separator: "\n").compactMap { line in
            guard let level = ["[emerg]", "[alert]", "[crit]"].lazy.compactMap({ line.range(of: $0) }).first else { return nil }
            var message = line[level.upperBound...].drop { $0 == " " }
            // "1234#1234: " (pid and thread id) comes before the text.
            if let colon = message.firstIndex(of: ":"), message[..<colon].allSatisfy({ $0.isNumber || $0 == "#" }) {
                message = message[message.index(after: colon)...].drop { $0 == " " }
            }
            return line[level] + " " + message
        }
    }
}
