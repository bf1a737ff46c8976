import Synchronization
import TackHTTP

/// The libcurl clients of one connection: one for the kubeconfig's TLS settings, and one per
/// client certificate an exec plugin hands out (certificates rotate, so the latest is kept).
/// Once shut down it makes no more clients.
final class TransportCache: Sendable {
    private let connection: KubeConnection
    private let options: KubeClientOptions
    /// The clients by TLS settings; nil once shut down.
    private let clients = Mutex<[TLSConfiguration: CurlHTTPClient]?>([:])

    /// Connections to the API server at once: open watches plus requests.
    static let maxConnectionsPerHost = 100

    init(connection: KubeConnection, options: KubeClientOptions) {
        self.connection = connection
        self.options = options
    }

    /// Checks that the static TLS settings can be used, before any request.
    func validate() throws(KubeError) {
        _ = try client(for: .none)
    }

    /// The client for `credential`: the connection's TLS, with the credential's certificate when it has one.
    func client(for credential: KubeCredential) throws(KubeError) -> CurlHTTPClient {
        var tls = connection.tls
        if case .clientCertificate(let certificate, let key) = credential {
            tls.clientCertificatePEM = certificate
            tls.clientKeyPEM = key
        }
        switch clients.withLock({ $0.map { $0[tls] } }) {
        case nil: throw .cancelled
        case let existing??: return existing
        case .some(nil): break
        }
        // Watches are not cut for silence: the server need not send anything, bookmarks included,
        // while nothing changes; each watch has a total timeout instead (see `watch`). Each open
        // HTTP/1.1 watch holds a connection, so the per-host limit leaves room for many informers
        // besides the requests (client-go sets no limit).
        let configuration = HTTPClientConfiguration(
            requestTimeout: options.requestTimeout, streamLowSpeedLimit: nil, tls: tls, proxyURL: connection.proxyURL, retry: .never,
            maxConnectionsPerHost: Self.maxConnectionsPerHost)
        let made: CurlHTTPClient
        do {
            made = try CurlHTTPClient(configuration: configuration)
        } catch {
            throw .configuration("\(connection.origin): \(error)")
        }
        let kept = clients.withLock { clients -> CurlHTTPClient? in
            guard var current = clients else { return nil }
            if let existing = current[tls] { return existing }
            // A new exec certificate replaces the previous one: keep the static client and this one.
            current = current.filter { $0.key == connection.tls }
            current[tls] = made
            clients = current
            return made
        }
        guard let kept else {
            made.shutdown()
            throw .cancelled
        }
        return kept
    }

    /// Whether `shutdown()` was called.
    var isShutDown: Bool { clients.withLock { $0 == nil } }

    /// Stops every client and makes no more.
    func shutdown() {
        let stopping = clients.withLock { clients in
            defer { clients = nil }
            return clients.map { Array($0.values) } ?? []
        }
        for client in stopping { client.shutdown() }
    }
}
