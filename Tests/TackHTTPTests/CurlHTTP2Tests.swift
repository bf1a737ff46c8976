import Foundation
import TackHTTP
import TestSupport
import Testing

@Suite("HTTP/2")
struct CurlHTTP2Tests {
    @Test("against a server speaking HTTP/2, concurrent requests are multiplexed over one connection")
    func multiplexing() async throws {
        let fixtures = try await TestCertificates.shared()
        let port = try FreePort.next()
        let nginx = try NginxServer(certificate: fixtures.server.certificate, key: fixtures.server.key, port: port)
        defer { nginx.stop() }
        let client = try makeClient { $0.tls.caPEM = fixtures.caPEM }
        defer { client.shutdown() }
        let url = "https://127.0.0.1:\(port)/"
        #expect(await eventually { (try? await client.send(HTTPRequest(url: url)))?.status == 200 })

        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<20 {
                group.addTask { try await client.send(HTTPRequest(url: url)).status }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses == Array(repeating: 200, count: 20))
        let requests = try nginx.requests()
        #expect(requests.count == 21)
        #expect(requests.allSatisfy { $0.protocol == "HTTP/2.0" })
        // The probe above opened the connection; the 20 concurrent requests share it.
        #expect(Set(requests.map(\.connection)).count == 1)
    }
}
