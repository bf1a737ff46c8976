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
        try AtomicFile.write(bytes, to: path)
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
}

extension ScrapeTarget {
    /// The order of targets in a file: by address, then labels.
    fileprivate var sortKey: [String] { [address, app, account, track.rawValue, version, replica] }
}
