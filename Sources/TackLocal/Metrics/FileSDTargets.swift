import Foundation

/// The target files of Prometheus's file-based service discovery:
/// `[{"targets": ["127.0.0.1:PORT"], "labels": {...}}, ...]`, one group per replica.
public enum FileSDTargets {
    /// Writes `targets` to `path` unless the file already holds exactly them; returns whether it
    /// wrote. The file is replaced atomically (a temporary file in the same directory, fsync,
    /// rename, fsync of the directory), so Prometheus never reads half of it, and the output is
    /// sorted, so the same set always gives the same bytes.
    @discardableResult
    public static func write(_ targets: some Sequence<ScrapeTarget>, to path: String) throws(LocalRuntimeError) -> Bool {
        let bytes = render(targets)
        if let current = try? POSIXRead.bytes(atPath: path), current == bytes { return false }
        try replaceAtomically(path, with: bytes)
        return true
    }

    /// The file's bytes for `targets`: groups sorted by address and labels, keys sorted, one
    /// group per target (duplicates dropped).
    public static func render(_ targets: some Sequence<ScrapeTarget>) -> [UInt8] {
        let groups = Set(targets)
            .sorted { $0.sortKey.lexicographicallyPrecedes($1.sortKey) }
            .map { Group(targets: [$0.address], labels: $0.labels) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding strings and string dictionaries cannot fail.
        let data = (try? encoder.encode(groups)) ?? Data("[]".utf8)
        return Array(data) + [UInt8(ascii: "\n")]
    }

    /// One target group of the file.
    private struct Group: Encodable {
        var targets: [String]
        var labels: [String: String]
    }

    /// Replaces the file at `path` with `bytes` through a temporary file beside it whose name does
    /// not end in `.json`, so Prometheus never matches it.
    static func replaceAtomically(_ path: String, with bytes: [UInt8]) throws(LocalRuntimeError) {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = "\(directory.isEmpty ? "." : directory)/.\((path as NSString).lastPathComponent).\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(path: path, errno: errno) }
        var failure: Int32?
        var written = 0
        while written < bytes.count, failure == nil {
            let count = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno != EINTR { failure = errno }
            } else {
                written += count
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = errno }
        if close(fd) != 0, failure == nil { failure = errno }
        if failure == nil, rename(temporary, path) != 0 { failure = errno }
        if let failure {
            unlink(temporary)
            throw .io(path: path, errno: failure)
        }
        let directoryFD = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryFD >= 0 {
            fsync(directoryFD)
            close(directoryFD)
        }
    }
}

extension ScrapeTarget {
    /// The order of targets in a file: by address, then labels.
    fileprivate var sortKey: [String] { [address, app, account, track.rawValue, version, replica] }
}
