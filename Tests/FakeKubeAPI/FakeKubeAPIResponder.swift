import HTTPTypes
import Hummingbird
import KubeAPI

/// The HTTP side: turns Hummingbird requests into `IncomingRequest`s for the core and its replies
/// into responses, adding the API Priority and Fairness headers kube-apiserver sends.
struct FakeKubeAPIResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let core: ClusterCore
    /// `X-Kubernetes-PF-FlowSchema-UID` and `X-Kubernetes-PF-PriorityLevel-UID` of every response.
    let flowSchemaUID: String
    let priorityLevelUID: String

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 64 << 20)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let incoming = IncomingRequest(method: request.method.rawValue, path: request.uri.path, rawQuery: request.uri.query ?? "",
                                       headers: headers, body: Array(body.readableBytesView))
        switch core.handle(incoming) {
        case .json(let status, let json, let extra):
            var fields = priorityHeaders
            fields[.contentType] = "application/json"
            for (name, value) in extra {
                if let name = HTTPField.Name(name) { fields[name] = value }
            }
            return Response(status: .init(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: json.jsonBytes)))
        case .text(let status, let text):
            var fields = priorityHeaders
            fields[.contentType] = "text/plain; charset=utf-8"
            return Response(status: .init(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(string: text)))
        case .watch(let session):
            return Response(status: .ok, headers: [.contentType: "application/json"], body: WatchWriter(core: core, session: session).body)
        case .dropConnection:
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody { _ in throw ConnectionDropped() })
        }
    }

    private var priorityHeaders: HTTPFields {
        var fields = HTTPFields()
        fields[HTTPField.Name("X-Kubernetes-PF-FlowSchema-UID")!] = flowSchemaUID
        fields[HTTPField.Name("X-Kubernetes-PF-PriorityLevel-UID")!] = priorityLevelUID
        return fields
    }
}

/// Thrown by a response body to cut its connection without finishing the response.
struct ConnectionDropped: Error {}
