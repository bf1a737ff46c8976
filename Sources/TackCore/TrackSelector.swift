/// The labels that pick one track of one application in one account out of Prometheus:
/// `app`, `account`, `track` and `version`, as the runtime labels every replica.
public struct TrackSelector: Sendable, Hashable {
    /// The application name.
    public var app: String
    /// The account name.
    public var account: String
    /// The track.
    public var track: Track
    /// The version label (an `ImageRef.version`).
    public var version: String

    /// A selector.
    public init(app: String, account: String, track: Track, version: String) {
        self.app = app
        self.account = account
        self.track = track
        self.version = version
    }

    /// The label matchers, `app="x",account="y",track="canary",version="v1"`, values escaped.
    public var matchers: String {
        [("app", app), ("account", account), ("track", track.rawValue), ("version", version)]
            .map { "\($0)=\"\(PromQL.escape($1))\"" }
            .joined(separator: ",")
    }
}
