import Synchronization
import TackHTTP

/// The libcurl clients of one connection: one for the kubeconfig's TLS settings, and one per
/// client certificate an exec plugin hands out (certificates rotate, so the latest is kept).
final class TransportCache: Sendable {
    private let connection: KubeConnection
    private let options: KubeClientOptions
    private let clients = Mutex<[TLSConfiguration: CurlHTTPClient]>([:])

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
        if let existing = clients.withLock({ $0[tls] }) { return existing }
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
        return clients.withLock { clients in
            if let existing = clients[tls] { return existing }
            // A new exec certificate replaces the previous one: keep the static client and this one.
            clients = clients.filter { $0.key == connection.tls }
            clients[tls] = made
            return made
        }
    }

    /// Stops every client.
    func shutdown() {
        for client in clients.withLock({ Array($0.values) }) { client.shutdown() }
    }
}
