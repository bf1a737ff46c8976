/// A target as the running Prometheus sees it (`/api/v1/targets`): its labels and the health of
/// its last scrape.
public struct ActiveTarget: Sendable, Hashable {
    /// `host:port` (the `instance` label).
    public var address: String
    /// The target's labels after relabelling: `job`, `instance` and those from the target file.
    public var labels: [String: String]
    /// Whether the last scrape succeeded.
    public var isUp: Bool
    /// Why the last scrape failed, or "".
    public var lastError: String

    /// A target.
    public init(address: String, labels: [String: String], isUp: Bool, lastError: String) {
        self.address = address
        self.labels = labels
        self.isUp = isUp
        self.lastError = lastError
    }

    /// Whether this is `target` (same address, its labels all present) and its last scrape succeeded.
    func isScraped(_ target: ScrapeTarget) -> Bool {
        isUp && address == target.address && target.labels.allSatisfy { labels[$0.key] == $0.value }
    }
}

extension ActiveTarget {
    /// The parts of the `/api/v1/targets` answer the runtime reads.
    struct Response: Decodable {
        struct Data: Decodable {
            var activeTargets: [Target]
        }
        struct Target: Decodable {
            var labels: [String: String]
            var scrapePool: String
            var health: String
            var lastError: String?
        }
        var status: String
        var data: Data
    }
}
