import TackCore

/// One application of one account as the router sees it: the port it listens on (127.0.0.1), the
/// replicas that can answer, the share of traffic each track receives, and the port of its
/// preview listener, which routes to track `preview` alone.
public struct Route: Sendable, Hashable, Codable {
    /// A replica the router can send requests to.
    public struct Backend: Sendable, Hashable, Codable {
        /// The track the replica belongs to.
        public var track: Track
        /// The version it runs (an image tag or digest); shown in the X-Tack-Version header.
        public var version: String
        /// The port it listens on, on 127.0.0.1.
        public var port: Int
        /// Whether it passes its readiness check; only ready replicas get traffic.
        public var isReady: Bool

        /// A backend.
        public init(track: Track, version: String, port: Int, isReady: Bool = true) {
            self.track = track
            self.version = version
            self.port = port
            self.isReady = isReady
        }

        /// `127.0.0.1:port`.
        public var address: String { "127.0.0.1:\(port)" }
    }

    /// The account the application belongs to.
    public var account: String
    /// The application.
    public var app: String
    /// The port of its listener on 127.0.0.1.
    public var port: Int
    /// Its replicas, ready or not.
    public var backends: [Backend]
    /// The share of traffic each track receives (0...100).
    public var split: TrafficSplit
    /// The port of its preview listener on 127.0.0.1 (ready `preview` replicas only), or nil for none.
    public var previewPort: Int?

    /// A route.
    public init(account: String, app: String, port: Int, backends: [Backend], split: TrafficSplit, previewPort: Int? = nil) {
        self.account = account
        self.app = app
        self.port = port
        self.backends = backends
        self.split = split
        self.previewPort = previewPort
    }

    /// `account/app`, as messages and the access log name the route.
    public var name: String { "\(account)/\(app)" }
    /// `account/app/preview`, as messages and the access log name the preview listener.
    public var previewName: String { name + "/preview" }
}
