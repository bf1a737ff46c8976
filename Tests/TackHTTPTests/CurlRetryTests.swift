import TestSupport
import TackHTTP
import Testing

@Suite("CurlHTTPClient retries and errors")
struct CurlRetryTests {
    @Test("a 503 with Retry-After: 1 is sent again after waiting at least a second")
    func retryAfter() async throws {
        let server = try await TestServer()
        defer { server.stop() }
        let client = try makeClient()
        var response: HTTPResponse?
        let elapsed = try await seconds {
            response = try await client.send(HTTPRequest(url: server.url("/status?key=a&fail=1&retry_after=1")))
        }
        #expect(response?.status == 200)
        #expect(try await server.report("/attempts?key=a") == "2")
        #expect(elapsed >= 1 && elapsed < 5)
    }

    @Test("once the attempts are spent, the last error status is the response")
    func retriesSpent() async throws {
        let server = try await TestServer()
        defer { server.stop() }
        let client = try makeClient()
        let response = try await client.send(HTTPRequest(url: server.url("/status?key=b&fail=10&code=429&retry_after=0")))
        #expect(response.status == 429)
        #expect(response.headers["Retry-After"] == "0")
        #expect(try await server.report("/attempts?key=b") == "3")
    }

    @Test("a POST answered 503 is not sent again")
    func postNotRetried() async throws {
        let server = try await TestServer()
        defer { server.stop() }
        let client = try makeClient()
        let response = try await client.send(HTTPRequest(method: .post, url: server.url("/status?key=c&fail=1&retry_after=1"), body: [1]))
        #expect(response.status == 503)
        #expect(try await server.report("/attempts?key=c") == "1")
    }

    @Test("a 5xx without an integer Retry-After within the limit is not retried")
    func unusableRetryAfter() async throws {
        let server = try await TestServer()
        defer { server.stop() }
        let client = try makeClient()
        let cases = [
            ("none", ""), ("long", "&retry_after=120"),
            ("date", "&retry_after=Wed,%2021%20Oct%202015%2007:28:00%20GMT"),
        ]
        for (key, retryAfter) in cases {
            let response = try await client.send(HTTPRequest(url: server.url("/status?key=\(key)&fail=1\(retryAfter)")))
            #expect(response.status == 503)
            #expect(try await server.report("/attempts?key=\(key)") == "1", "\(key)")
        }
    }

    @Test("send(_:accepting:) turns an unexpected status into a .status error naming the request")
    func statusError() async throws {
        let server = try await TestServer()
        defer { server.stop() }
        let client = try makeClient(retry: .never)
        let error = await failure { () async throws(HTTPError) in
            try await client.send(HTTPRequest(url: server.url("/status?key=d&fail=1&code=500")), accepting: 200..<300)
        }
        #expect(error?.kind == .status(500))
        #expect(error?.description == "GET 127.0.0.1:\(server.port)/status answered 500: Internal Server Error")
    }

    @Test("errors never contain the Authorization header, the query string or the body")
    func noSecretsInErrors() async throws {
        let server = try await TestServer()
        defer { server.stop() }
        let refusing = try RefusingPort()
        defer { withExtendedLifetime(refusing) {} }
        let port = refusing.port
        let client = try makeClient(retry: .never)
        func request(_ url: String) -> HTTPRequest {
            HTTPRequest(method: .put, url: url + "?token=SECRET", headers: ["Authorization": "Bearer SECRET"],
                        body: Array("password=SECRET".utf8))
        }
        let refused = await failure { () async throws(HTTPError) in try await client.send(request("http://127.0.0.1:\(port)/api")) }
        let status = await failure { () async throws(HTTPError) in
            try await client.send(request(server.url("/status")), accepting: 200..<300)
        }
        #expect(refused?.kind == .connection)
        #expect(status?.kind == .status(503))
        for error in [refused, status] {
            let text = "\(String(describing: error)) \(error?.message ?? "") \(error?.path ?? "")"
            #expect(!text.contains("SECRET"), "\(text)")
        }
    }
}
