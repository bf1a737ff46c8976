import TackHTTP
import TackPrometheus
import Testing

/// Bodies captured from Prometheus 2.42 by `Fixtures/capture.sh`, decoded through a fake transport.
@Suite("query result decoding")
struct QueryDecodingTests {
    func decode(_ name: String, status: Int = 200, contentType: String = "application/json") async throws(PrometheusError) -> QueryResult {
        let body = (try? fixture(name)) ?? []
        let client = PrometheusClient(baseURL: "http://prom:9090",
                                      transport: RecordingTransport(status: status, body: body, contentType: contentType))
        return try await client.query("q")
    }

    @Test("a one-series vector keeps its labels, timestamp and value")
    func vector() async throws {
        let result = try await decode("vector.json")
        #expect(result == .vector([Sample(labels: [:], timestamp: 1_795_348_487.133, value: 0.1)]))
    }

    @Test("a vector of several series keeps each one's labels")
    func twoSeries() async throws {
        guard case .vector(let samples) = try await decode("vector-two-series.json") else { Issue.record("not a vector"); return }
        #expect(samples.map(\.labels) == [["track": "canary"], ["track": "stable"]])
        #expect(samples.map(\.value) == [50, 0])
    }

    @Test("an empty vector is an empty vector, not an error")
    func empty() async throws {
        #expect(try await decode("vector-empty.json") == .vector([]))
    }

    @Test("\"NaN\" decodes to NaN (0/0: the stable track had no requests)")
    func nan() async throws {
        guard case .vector(let samples) = try await decode("vector-nan.json") else { Issue.record("not a vector"); return }
        #expect(samples.count == 1 && samples[0].value.isNaN)
    }

    @Test("\"+Inf\" decodes to +infinity")
    func infinity() async throws {
        guard case .vector(let samples) = try await decode("vector-inf.json") else { Issue.record("not a vector"); return }
        #expect(samples.map(\.value) == [.infinity])
    }

    @Test("a histogram quantile keeps its full precision")
    func quantile() async throws {
        guard case .vector(let samples) = try await decode("latency-p99.json") else { Issue.record("not a vector"); return }
        #expect(samples.map(\.value) == [0.4925373134328358])
    }

    @Test("a scalar, a string and a matrix decode to their cases")
    func otherTypes() async throws {
        #expect(try await decode("scalar.json") == .scalar(501))
        #expect(try await decode("string.json") == .string("tack"))
        #expect(try await decode("matrix.json") == .matrix([Series(labels: [:], points: [
            Point(timestamp: 1_795_348_484, value: 15.83), Point(timestamp: 1_795_348_485, value: 25.830000000000005),
            Point(timestamp: 1_795_348_486, value: 35.830000000000005), Point(timestamp: 1_795_348_487, value: 50),
        ])]))
    }

    @Test("an error body becomes an API error with the status, error type and message")
    func badData() async {
        await #expect(throws: PrometheusError.api(endpoint: "prom:9090/api/v1/query", status: 400, errorType: "bad_data",
                                                  message: #"invalid parameter "query": 1:39: parse error: unclosed left parenthesis"#)) {
            try await decode("error-bad-data.json", status: 400)
        }
    }

    @Test("a proxy's HTML 502 page is an invalid response that names the status, type and title")
    func proxyPage() async {
        let error = await #expect(throws: PrometheusError.self) {
            try await decode("proxy-502.html", status: 502, contentType: "text/html; charset=utf-8")
        }
        #expect(error?.description == #"prom:9090/api/v1/query answered 502 with a text/html body of 150 bytes, not Prometheus JSON: "502 Bad Gateway""#)
    }

    @Test("JSON of another shape, truncated JSON and an unknown result type are invalid responses", arguments: [
        (#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"x"]}]}}"#,
         #"prom:9090/api/v1/query answered 200 with a JSON body Tack cannot read (data.result[0].value[1]: "x" is not a number)"#),
        (#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"histogram":[1,{}]}]}}"#,
         #"prom:9090/api/v1/query answered 200 with a JSON body Tack cannot read (data.result[0]: missing "value")"#),
        (#"{"status":"success","data":{"resultType":"vector","#,
         "prom:9090/api/v1/query answered 200 with a JSON body Tack cannot read (invalid JSON)"),
        (#"{"status":"success","data":{"resultType":"histogram","result":[]}}"#,
         #"prom:9090/api/v1/query answered 200 with a JSON body Tack cannot read (data.resultType: unknown resultType "histogram")"#),
        (#"{"status":"success"}"#,
         #"prom:9090/api/v1/query answered 200 with a body whose status is "success" without data"#),
    ])
    func unreadable(body: String, message: String) async {
        let client = PrometheusClient(baseURL: "http://prom:9090", transport: RecordingTransport(body: Array(body.utf8)))
        let error = await #expect(throws: PrometheusError.self) { try await client.query("q") }
        #expect(error?.description == message)
    }

    @Test("a 401 without a Prometheus body says to check the credentials")
    func unauthorized() async {
        let client = PrometheusClient(baseURL: "https://prom.example.com", transport: RecordingTransport(
            status: 401, body: Array("Unauthorized\n".utf8), contentType: "text/plain"))
        let error = await #expect(throws: PrometheusError.self) { try await client.query("q") }
        #expect(error?.description == #"prom.example.com/api/v1/query answered 401 with a text/plain body of 13 bytes, not Prometheus JSON: "Unauthorized"; check the credentials"#)
    }
}
