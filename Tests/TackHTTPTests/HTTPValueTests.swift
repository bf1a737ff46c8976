import TackHTTP
import Testing

@Suite("HTTP values")
struct HTTPValueTests {
    @Test("header names compare case-insensitively and keep their order")
    func headers() {
        var headers: HTTPHeaders = ["Content-Type": "application/json"]
        headers.add(name: "Accept", value: "a")
        headers.add(name: "accept", value: "b")
        #expect(headers["content-type"] == "application/json")
        #expect(headers["ACCEPT"] == "a")
        headers.replaceOrAdd(name: "Accept", value: "c")
        #expect(headers.map(\.value) == ["application/json", "c"])
    }

    @Test("an error names method, host, path and status, never the query string")
    func errorDescription() {
        let error = HTTPError(.status(503), method: .get, host: "prometheus.example.com:9090", path: "/api/v1/query",
                              message: "Service Unavailable", attempts: 3)
        #expect(error.description == "GET prometheus.example.com:9090/api/v1/query answered 503: Service Unavailable (after 3 attempts)")
    }

    @Test("POST and PATCH are not idempotent, the rest are")
    func idempotence() {
        #expect(HTTPMethod.get.isIdempotent && HTTPMethod.put.isIdempotent && HTTPMethod.delete.isIdempotent)
        #expect(!HTTPMethod.post.isIdempotent && !HTTPMethod.patch.isIdempotent)
    }
}
