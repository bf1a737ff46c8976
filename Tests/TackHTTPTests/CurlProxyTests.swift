import Foundation
import TackHTTP
import Testing

@Suite("Proxy")
struct CurlProxyTests {
    @Test("with proxyURL set, a request for an unresolvable host goes to the proxy in absolute form")
    func forwardProxy() async throws {
        let proxy = try await TestServer()
        defer { proxy.stop() }
        let client = try makeClient { $0.proxyURL = "http://127.0.0.1:\(proxy.port)" }
        defer { client.shutdown() }
        // tack-proxy.test does not resolve: only a request sent to the proxy can be answered.
        let response = try await client.send(HTTPRequest(url: "http://tack-proxy.test/echo?via=proxy"))
        #expect(response.status == 200)
        let echo = try json(response)
        #expect(echo["path"] as? String == "/echo")
        #expect(echo["query"] as? String == "via=proxy")
        let headers = try #require(echo["headers"] as? [String: String])
        #expect(headers["host"] == "tack-proxy.test")
    }

    @Test("a proxy URL with another scheme is refused without quoting its credentials")
    func refusedScheme() throws {
        #expect(throws: HTTPError.self) {
            _ = try CurlHTTPClient(configuration: HTTPClientConfiguration(proxyURL: "ftp://alice:s3cret-pass@proxy:21"))
        }
        for url in ["ftp://alice:s3cret-pass@proxy:21", "alice:s3cret-pass@proxy:3128", "http://alice:s3cret-pass@"] {
            do {
                _ = try CurlHTTPClient(configuration: HTTPClientConfiguration(proxyURL: url))
                Issue.record("\(url) was accepted")
            } catch {
                #expect(error.kind == .configuration)
                #expect(!error.description.contains("s3cret-pass"))
                #expect(!error.description.contains("alice"))
            }
        }
    }

    @Test("HTTPS, SOCKS5 and SOCKS5h proxies are accepted")
    func acceptedSchemes() throws {
        for url in ["https://proxy.example:3128", "socks5://127.0.0.1:1080", "socks5h://user:pass@proxy:1080", "HTTP://proxy"] {
            let client = try CurlHTTPClient(configuration: HTTPClientConfiguration(proxyURL: url))
            client.shutdown()
        }
    }
}
