import TackHTTP
import TackPrometheus
import Testing

@Suite("Prometheus credentials stay secret")
struct PrometheusCredentialsTests {
    static let token = "s3cr3t-t0k3n"
    static let password = "hunter2-p4ss"

    @Test("description, debug description and dump never show the token or password", arguments: [
        PrometheusCredentials.bearer(token: token), .basic(username: "alice", password: password),
    ])
    func descriptions(_ credentials: PrometheusCredentials) {
        var dumped = ""
        dump(credentials, to: &dumped)
        for text in [String(describing: credentials), String(reflecting: credentials), "\(credentials)", dumped,
                     String(describing: PrometheusClient(baseURL: "http://p", transport: RecordingTransport(body: []), credentials: credentials))] {
            #expect(!text.contains(Self.token) && !text.contains(Self.password), "\(text)")
        }
        #expect(String(describing: credentials) == (credentials == .bearer(token: Self.token)
            ? "bearer token (redacted)" : "basic auth as alice (password redacted)"))
    }

    @Test("server text that echoes the secret is redacted in errors", arguments: [
        PrometheusCredentials.bearer(token: token), .basic(username: "alice", password: password),
    ])
    func echoedSecrets(_ credentials: PrometheusCredentials) async {
        let isBearer = credentials == .bearer(token: Self.token)
        let authorization = isBearer ? "Bearer \(Self.token)" : "Basic YWxpY2U6aHVudGVyMi1wNHNz"
        let secret = isBearer ? Self.token : Self.password
        let bodies: [(Int, String, String)] = [
            (400, "application/json", #"{"status":"error","errorType":"bad_data","error":"bad header: \#(authorization) \#(secret)"}"#),
            (502, "text/html", "<html><head><title>denied \(authorization)</title></head></html>"),
            (200, "application/json", #"{"status":"\#(authorization)"}"#),
        ]
        for (status, type, body) in bodies {
            let client = PrometheusClient(baseURL: "http://prom:9090", transport: RecordingTransport(
                status: status, body: Array(body.utf8), contentType: type), credentials: credentials)
            let error = await #expect(throws: PrometheusError.self) { try await client.query("up") }
            let text = error.map { "\($0)" } ?? ""
            #expect(text.contains("<redacted>"), "\(text)")
            #expect(!text.contains(Self.token) && !text.contains(Self.password) && !text.contains("YWxpY2U6aHVudGVyMi1wNHNz"), "\(text)")
        }
    }

    @Test("the endpoint in messages drops user info from the base URL")
    func userInfo() async {
        let client = PrometheusClient(baseURL: "https://alice:\(Self.password)@prom.example.com/prefix/",
                                      transport: RecordingTransport(status: 503, body: Array("busy".utf8), contentType: "text/plain"))
        let error = await #expect(throws: PrometheusError.self) { try await client.query("up") }
        #expect(error?.description == #"prom.example.com/prefix/api/v1/query answered 503 with a text/plain body of 4 bytes, not Prometheus JSON: "busy""#)
    }
}
