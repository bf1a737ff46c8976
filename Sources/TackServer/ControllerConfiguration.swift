/// How the controller serves its API: where it listens, its limits and the watch stream's pace.
public struct ControllerConfiguration: Sendable {
    /// The address to listen on.
    public var host: String
    /// The port; 0 picks a free one (the bound port is reported when listening).
    public var port: Int
    /// The version `tack_build_info` reports.
    public var version: String
    /// The largest request body accepted; larger ones are answered 413.
    public var bodyLimit: Int
    /// How often a watch reads the execution for changes.
    public var watchInterval: Duration
    /// The longest a watch stays silent before it sends a heartbeat.
    public var heartbeatInterval: Duration
    /// Whether SIGTERM and SIGINT stop the controller gracefully (tests that cancel turn it off).
    public var stopsOnSignals: Bool

    /// A configuration.
    public init(host: String = "127.0.0.1", port: Int = 7420, version: String = TackVersion.current, bodyLimit: Int = 4 << 20,
                watchInterval: Duration = .milliseconds(250), heartbeatInterval: Duration = .seconds(15),
                stopsOnSignals: Bool = true) {
        self.host = host
        self.port = port
        self.version = version
        self.bodyLimit = bodyLimit
        self.watchInterval = watchInterval
        self.heartbeatInterval = heartbeatInterval
        self.stopsOnSignals = stopsOnSignals
    }
}
