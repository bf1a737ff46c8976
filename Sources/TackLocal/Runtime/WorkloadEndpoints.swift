/// Where an application's listeners in an account answer, on 127.0.0.1.
public struct WorkloadEndpoints: Sendable, Hashable, Codable {
    /// The port of the main listener, which splits traffic over the tracks by weight.
    public var port: Int
    /// The port of the preview listener, which routes to track `preview` alone; nil until the
    /// runtime's next pass gives one to an application recorded before preview listeners existed.
    public var previewPort: Int?

    /// Endpoints on `port` and `previewPort`.
    public init(port: Int, previewPort: Int?) {
        self.port = port
        self.previewPort = previewPort
    }

    /// The URL of the main listener.
    public var url: String { "http://127.0.0.1:\(port)" }
    /// The URL of the preview listener, when it has a port.
    public var previewURL: String? { previewPort.map { "http://127.0.0.1:\($0)" } }
}
