import Foundation

/// How a `CurlHTTPClient` connects, times out, retries and verifies servers.
public struct HTTPClientConfiguration: Sendable {
    /// Aborts a stream that delivers fewer than `bytesPerSecond` for `duration`.
    public struct LowSpeedLimit: Sendable, Hashable {
        /// The slowest acceptable average rate.
        public var bytesPerSecond: Int
        /// How long the rate may stay below it; whole seconds, rounded up.
        public var duration: Duration

        /// A low-speed limit.
        public init(bytesPerSecond: Int, duration: Duration) {
            self.bytesPerSecond = bytesPerSecond
            self.duration = duration
        }
    }

    /// The most a connection (TCP and TLS) may take.
    public var connectTimeout: Duration
    /// The most one attempt of `send` may take, unless the request sets `timeout`; not for streams.
    public var requestTimeout: Duration
    /// Aborts idle streams; nil lets a stream wait forever (the Kubernetes client's watches use
    /// nil and a total timeout instead, since bookmarks may never come on a quiet collection).
    public var streamLowSpeedLimit: LowSpeedLimit?
    /// Certificates and verification.
    public var tls: TLSConfiguration
    /// A proxy for every request (`http://`, `https://`, `socks5://` or `socks5h://`, credentials
    /// allowed in the userinfo); nil keeps curl's default, the `http_proxy`-style variables.
    public var proxyURL: String?
    /// Retries of idempotent requests.
    public var retry: RetryPolicy
    /// The most connections open at once to one host; further requests wait for one of them.
    public var maxConnectionsPerHost: Int
    /// The longest line a stream may deliver, in bytes; longer fails the stream.
    public var maxLineLength: Int
    /// Receives warnings (insecure TLS); the default writes them to stderr.
    public var warningHandler: @Sendable (String) -> Void

    /// A configuration; the defaults suit a controller talking to Kubernetes and Prometheus.
    public init(
        connectTimeout: Duration = .seconds(10),
        requestTimeout: Duration = .seconds(30),
        streamLowSpeedLimit: LowSpeedLimit? = LowSpeedLimit(bytesPerSecond: 1, duration: .seconds(60)),
        tls: TLSConfiguration = TLSConfiguration(),
        proxyURL: String? = nil,
        retry: RetryPolicy = RetryPolicy(),
        maxConnectionsPerHost: Int = 6,
        maxLineLength: Int = 16 << 20,
        warningHandler: @escaping @Sendable (String) -> Void = HTTPClientConfiguration.writeToStandardError
    ) {
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.streamLowSpeedLimit = streamLowSpeedLimit
        self.tls = tls
        self.proxyURL = proxyURL
        self.retry = retry
        self.maxConnectionsPerHost = maxConnectionsPerHost
        self.maxLineLength = maxLineLength
        self.warningHandler = warningHandler
    }

    /// Writes a warning line to stderr.
    @Sendable public static func writeToStandardError(_ warning: String) {
        FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
    }
}

extension HTTPClientConfiguration {
    /// Checks limits and TLS material before any request is made.
    func validate() throws(HTTPError) {
        func fail(_ message: String) -> HTTPError {
            HTTPError(.configuration, method: .get, host: "", path: "", message: message)
        }
        guard connectTimeout > .zero, requestTimeout > .zero else { throw fail("timeouts must be positive") }
        if let limit = streamLowSpeedLimit, limit.bytesPerSecond < 1 || limit.duration <= .zero {
            throw fail("the stream low-speed limit needs a positive rate and duration")
        }
        guard retry.maxAttempts >= 1 else { throw fail("retry.maxAttempts must be at least 1") }
        guard maxConnectionsPerHost >= 1 else { throw fail("maxConnectionsPerHost must be at least 1") }
        guard maxLineLength >= 1 else { throw fail("maxLineLength must be at least 1") }
        try tls.validate()
        if let proxyURL { try Self.validate(proxyURL: proxyURL) }
    }

    /// The schemes curl is allowed to use for `proxyURL`.
    static let proxySchemes = ["http", "https", "socks5", "socks5h"]

    /// Checks a proxy URL's shape; messages never quote it, since its userinfo may hold a password.
    private static func validate(proxyURL: String) throws(HTTPError) {
        func fail(_ message: String) -> HTTPError {
            HTTPError(.configuration, method: .get, host: "", path: "", message: message)
        }
        guard !proxyURL.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) else {
            throw fail("the proxy URL contains spaces or control characters")
        }
        guard let separator = proxyURL.range(of: "://") else {
            throw fail("the proxy URL must start with one of \(proxySchemes.map { $0 + "://" }.joined(separator: ", "))")
        }
        let scheme = proxyURL[..<separator.lowerBound].lowercased()
        guard proxySchemes.contains(scheme) else {
            throw fail("the proxy URL's scheme must be one of \(proxySchemes.joined(separator: ", "))")
        }
        let authority = proxyURL[separator.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let host = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? ""
        guard !host.isEmpty, !host.hasPrefix(":") else { throw fail("the proxy URL has no host") }
    }
}

extension Duration {
    /// Whole milliseconds, rounded up, at least 1: what curl's `_MS` options take.
    var curlMilliseconds: Int {
        let (seconds, attoseconds) = components
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Swift.max(Int(clamping: milliseconds), 1)
    }
}
