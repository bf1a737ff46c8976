import TackHTTP
import TackPrometheus
import Testing

@Suite("Prometheus client requests")
struct PrometheusClientTests {
    let vector = #"{"status":"success","data":{"resultType":"vector","result":[]}}"#

    @Test("an instant query is a form POST to /api/v1/query with the time and a timeout")
    func instantQuery() async throws {
        let transport = RecordingTransport(body: Array(vector.utf8))
        let client = PrometheusClient(baseURL: "http://127.0.0.1:9090/", transport: transport)
        _ = try await client.query("up", at: 1_700_000_000.25)
        let request = try #require(transport.requests.first)
        #expect(request.method == .post)
        #expect(request.url == "http://127.0.0.1:9090/api/v1/query")
        #expect(request.headers["Content-Type"] == "application/x-www-form-urlencoded")
        #expect(request.headers["Accept"] == "application/json")
        #expect(request.headers["Authorization"] == nil)
        #expect(request.bodyText == "query=up&time=1700000000.25&timeout=10")
        #expect(request.timeout == .seconds(11))
    }

    @Test("PromQL is percent-encoded exactly: every byte but A-Z a-z 0-9 - . _ ~, UTF-8, space as %20")
    func percentEncoding() async throws {
        let transport = RecordingTransport(body: Array(vector.utf8))
        let client = PrometheusClient(baseURL: "http://prom:9090/prefix", transport: transport, timeout: .milliseconds(2500))
        let promql = #"sum(rate(x{code=~"5..",app="a b&c+d=é"}[1m])) / 2 % 3 ~ #"#
        _ = try await client.query(promql)
        let request = try #require(transport.requests.first)
        #expect(request.url == "http://prom:9090/prefix/api/v1/query")
        #expect(request.bodyText == "query=sum%28rate%28x%7Bcode%3D~%225..%22%2Capp%3D%22a%20b%26c%2Bd%3D%C3%A9%22%7D%5B1m%5D%29%29%20%2F%202%20%25%203%20~%20%23&timeout=2.5")
        #expect(request.form["query"] == promql)
    }

    @Test("a range query sends start, end and step in seconds to /api/v1/query_range")
    func rangeQuery() async throws {
        let transport = RecordingTransport(body: try fixture("matrix.json"))
        let client = PrometheusClient(baseURL: "http://prom:9090", transport: transport)
        let result = try await client.queryRange("up", start: 100, end: 160.5, step: .milliseconds(15_500))
        let request = try #require(transport.requests.first)
        #expect(request.url == "http://prom:9090/api/v1/query_range")
        #expect(request.bodyText == "query=up&start=100&end=160.5&step=15.5&timeout=10")
        guard case .matrix(let series) = result else { Issue.record("not a matrix: \(result)"); return }
        #expect(series.count == 1)
    }

    @Test("bearer credentials send Authorization: Bearer <token>")
    func bearer() async throws {
        let transport = RecordingTransport(body: Array(vector.utf8))
        let client = PrometheusClient(baseURL: "http://prom:9090", transport: transport, credentials: .bearer(token: "t0k3n"))
        _ = try await client.query("up")
        #expect(transport.requests.first?.headers["Authorization"] == "Bearer t0k3n")
    }

    @Test("basic credentials send Authorization: Basic base64(username:password)")
    func basic() async throws {
        let transport = RecordingTransport(body: Array(vector.utf8))
        let client = PrometheusClient(baseURL: "http://prom:9090", transport: transport,
                                      credentials: .basic(username: "Aladdin", password: "open sesame"))
        _ = try await client.query("up")
        #expect(transport.requests.first?.headers["Authorization"] == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
    }

    @Test("a transport failure is a transport error that keeps the HTTP error")
    func transportFailure() async {
        let refused = HTTPError(.connection, method: .post, host: "127.0.0.1:9", path: "/api/v1/query",
                                message: "Couldn't connect to server")
        let client = PrometheusClient(baseURL: "http://127.0.0.1:9", transport: RecordingTransport { _ in .failure(refused) })
        await #expect(throws: PrometheusError.transport(refused)) { try await client.query("up") }
        let error = await #expect(throws: PrometheusError.self) { try await client.query("up") }
        #expect(error?.description == "Prometheus did not answer: POST 127.0.0.1:9/api/v1/query: Couldn't connect to server")
    }
}
