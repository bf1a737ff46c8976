import FakeKubeAPI
import KubeAPI
import TackHTTP
import Testing

/// A started fake API server and a plain libcurl client (no retries) for tests of the fake itself;
/// `with` stops both whatever the test does.
struct FakeAPIServerHarness {
    let server: FakeKubeAPIServer
    let client: CurlHTTPClient

    /// An answer with its body parsed as JSON (`null` when it is not JSON).
    struct Answer {
        var status: Int
        var headers: HTTPHeaders
        var json: JSONValue

        /// The Status `message`.
        var message: String? { json["message"]?.string }
        /// The Status `reason`.
        var reason: String? { json["reason"]?.string }
    }

    static func with(options: FakeKubeAPIOptions = FakeKubeAPIOptions(), _ body: (FakeAPIServerHarness) async throws -> Void) async throws {
        let client = try CurlHTTPClient(configuration: HTTPClientConfiguration(retry: .never))
        defer { client.shutdown() }
        try await FakeKubeAPIServer.with(options: options) { server in
            try await body(FakeAPIServerHarness(server: server, client: client))
        }
    }

    /// Sends a request to `path` (relative to the server) with an optional JSON body.
    func send(_ method: HTTPMethod, _ path: String, _ json: JSONValue? = nil, contentType: String = "application/json",
              body: [UInt8]? = nil, headers: HTTPHeaders = [:]) async throws -> Answer {
        var fields = headers
        if json != nil || body != nil { fields.add(name: "Content-Type", value: contentType) }
        let response = try await client.send(HTTPRequest(method: method, url: server.baseURL + path, headers: fields, body: body ?? json?.jsonBytes))
        return Answer(status: response.status, headers: response.headers, json: (try? JSONValue.parse(response.body)) ?? .null)
    }

    /// Opens a watch (or any streamed GET) on `path`.
    func stream(_ path: String, headers: HTTPHeaders = [:]) async throws -> HTTPStream {
        try await client.stream(HTTPRequest(url: server.baseURL + path, headers: headers, timeout: .seconds(20)))
    }

    /// Reads up to `count` events (fewer when the stream ends first); the stream is cancelled after `timeout`.
    func events(_ stream: HTTPStream, count: Int, timeout: Duration = .seconds(5)) async throws -> [JSONValue] {
        let watchdog = Task {
            try await Task.sleep(for: timeout)
            stream.cancel()
        }
        defer { watchdog.cancel() }
        var events: [JSONValue] = []
        var lines = stream.lines.makeAsyncIterator()
        while events.count < count, let line = try await lines.next() {
            if !line.isEmpty { events.append(try JSONValue.parse(Array(line.utf8))) }
        }
        return events
    }

    /// A Deployment manifest with `replicas` and an `app` label.
    static func deployment(_ name: String, replicas: Int64 = 2, image: String = "nginx:1.27", labels: [String: String] = [:]) -> JSONValue {
        let labelValues = ["app": name].merging(labels) { _, given in given }.mapValues { JSONValue.string($0) }
        return [
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": ["name": .string(name), "labels": .object(labelValues)],
            "spec": [
                "replicas": .integer(replicas),
                "selector": ["matchLabels": ["app": .string(name)]],
                "template": [
                    "metadata": ["labels": ["app": .string(name)]],
                    "spec": ["containers": [["name": "app", "image": .string(image)]]],
                ],
            ],
        ]
    }
}

/// The path of `resource` in namespace `prod`, or of its object `name`.
func prodPath(_ resource: KubeResource, _ name: String? = nil) -> String {
    name.map { resource.objectPath(namespace: "prod", name: $0) } ?? resource.collectionPath(namespace: "prod")
}
