import TackCore

/// One replica as Prometheus scrapes it: its address and the labels every one of its series
/// carries (`app`, `account`, `track`, `version`, which the analysis selects on, and `replica`,
/// which keeps two replicas of one track apart; the analysis sums over it).
public struct ScrapeTarget: Sendable, Hashable, Codable {
    /// The application name.
    public var app: String
    /// The account name.
    public var account: String
    /// The track the replica serves.
    public var track: Track
    /// The version label (an `ImageRef.version`).
    public var version: String
    /// A name for the replica that stays the same across restarts, such as `recommender-canary-0`.
    public var replica: String
    /// `host:port` of the replica's HTTP listener; Prometheus reads `/metrics` there.
    public var address: String

    /// A target listening on `host:port` (loopback unless given).
    public init(
        app: String, account: String, track: Track, version: String, replica: String, port: Int,
        host: String = "127.0.0.1"
    ) {
        self.app = app
        self.account = account
        self.track = track
        self.version = version
        self.replica = replica
        self.address = "\(host):\(port)"
    }

    /// The labels Prometheus attaches to every series scraped from this target.
    public var labels: [String: String] {
        ["app": app, "account": account, "track": track.rawValue, "version": version, "replica": replica]
    }
}
