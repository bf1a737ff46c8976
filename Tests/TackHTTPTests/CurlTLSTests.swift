import Synchronization
import TackHTTP
import TestSupport
import Testing

@Suite("CurlHTTPClient TLS")
struct CurlTLSTests {
    let fixtures: TestCertificates

    init() async throws {
        fixtures = try await TestCertificates.shared()
    }

    /// A server that requires a client certificate from the fixtures' CA.
    func mutualTLSServer() async throws -> TestServer {
        try await TestServer(tls: fixtures.server, clientCA: fixtures.caPath)
    }

    func client(_ tls: TLSConfiguration, warnings: Warnings? = nil) throws -> CurlHTTPClient {
        try makeClient(retry: .never) { configuration in
            configuration.tls = tls
            if let warnings { configuration.warningHandler = { warning in warnings.list.withLock { $0.append(warning) } } }
        }
    }

    /// Warnings a client gave.
    final class Warnings: Sendable {
        let list = Mutex<[String]>([])
    }

    var mutualTLS: TLSConfiguration {
        TLSConfiguration(caPEM: fixtures.caPEM, clientCertificatePEM: fixtures.clientCertificatePEM, clientKeyPEM: fixtures.clientKeyPEM)
    }

    @Test("a CA and a client certificate given as PEM bytes make a verified mutual-TLS connection")
    func mutual() async throws {
        let server = try await mutualTLSServer()
        defer { server.stop() }
        let response = try await client(mutualTLS).send(HTTPRequest(url: server.url("/echo")))
        #expect(response.status == 200)
    }

    @Test("a server whose certificate another CA signed is rejected as .tls")
    func unknownCA() async throws {
        let server = try await mutualTLSServer()
        defer { server.stop() }
        var tls = mutualTLS
        tls.caPEM = fixtures.otherCAPEM
        let client = try client(tls)
        let error = await failure { () async throws(HTTPError) in try await client.send(HTTPRequest(url: server.url("/echo"))) }
        #expect(error?.kind == .tls)
        #expect(error?.attempts == 1)
    }

    @Test("a server that requires a client certificate rejects a client without one")
    func missingClientCertificate() async throws {
        let server = try await mutualTLSServer()
        defer { server.stop() }
        let client = try client(TLSConfiguration(caPEM: fixtures.caPEM))
        let error = await failure { () async throws(HTTPError) in try await client.send(HTTPRequest(url: server.url("/echo"))) }
        // With TLS 1.3 the refusal is an alert after the handshake. curl reports it as a TLS read
        // error, or, when the server closed the socket first, as a plain receive failure.
        #expect(error?.kind == .tls || error?.kind == .transfer, "\(String(describing: error))")
    }

    @Test("serverName verifies a certificate for another name than the URL's host, connecting to the URL's host")
    func serverNameOverride() async throws {
        let server = try await TestServer(tls: fixtures.namedServer, clientCA: fixtures.caPath)
        defer { server.stop() }
        let verifying = try client(mutualTLS)
        let mismatch = await failure { () async throws(HTTPError) in try await verifying.send(HTTPRequest(url: server.url("/echo"))) }
        #expect(mismatch?.kind == .tls)

        var tls = mutualTLS
        tls.serverName = TestCertificates.namedServerName
        let response = try await client(tls).send(HTTPRequest(url: server.url("/echo?x=1")))
        #expect(response.status == 200)
        #expect(try json(response)["query"] as? String == "x=1")
    }

    @Test("insecureSkipVerify connects to a server no trusted CA signed, and the client warns once")
    func insecure() async throws {
        let server = try await mutualTLSServer()
        defer { server.stop() }
        let warnings = Warnings()
        var tls = TLSConfiguration(clientCertificatePEM: fixtures.clientCertificatePEM, clientKeyPEM: fixtures.clientKeyPEM)
        tls.insecureSkipVerify = true
        let client = try client(tls, warnings: warnings)
        for _ in 0..<2 {
            #expect(try await client.send(HTTPRequest(url: server.url("/echo"))).status == 200)
        }
        let seen = warnings.list.withLock { $0 }
        #expect(seen.count == 1)
        #expect(seen.first?.contains("insecureSkipVerify") == true)
    }

    @Test("a client key without its certificate, or PEM that is not PEM, is refused when the client is made")
    func badConfiguration() throws {
        let cases = [
            TLSConfiguration(clientKeyPEM: fixtures.clientKeyPEM),
            TLSConfiguration(clientCertificatePEM: fixtures.clientCertificatePEM),
            TLSConfiguration(caPEM: Array("not a certificate".utf8)),
            TLSConfiguration(clientCertificatePEM: fixtures.clientCertificatePEM, clientKeyPEM: fixtures.clientCertificatePEM),
            TLSConfiguration(serverName: "bad name/"),
        ]
        for tls in cases {
            #expect { try CurlHTTPClient(configuration: HTTPClientConfiguration(tls: tls)) } throws: { error in
                guard let error = error as? HTTPError else { return false }
                return error.kind == .configuration && !error.description.contains("BEGIN")
            }
        }
    }

    @Test("printing or dumping a configuration shows the PEM sizes, never the key")
    func noKeyInDescriptions() {
        let configuration = HTTPClientConfiguration(tls: mutualTLS)
        var dumped = ""
        dump(configuration, to: &dumped)
        for text in [String(describing: configuration), String(reflecting: configuration), dumped] {
            #expect(!text.contains("45, 45, 45") && !text.contains("PRIVATE KEY"), "\(text)")
        }
        #expect(String(describing: configuration.tls).contains("clientKey: redacted"))
    }
}
