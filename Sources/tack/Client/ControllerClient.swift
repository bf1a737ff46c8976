import Foundation
import TackHTTP
import TackServer

/// The controller's HTTP API (Docs/controller.md): JSON requests with the bearer token, error
/// bodies turned into `ClientError`, and the watch stream.
struct ControllerClient: Sendable {
    /// The controller's base URL, without a trailing slash.
    let baseURL: String
    /// The bearer token; never printed.
    private let token: String?
    private let http: CurlHTTPClient

    /// A client for the controller at `baseURL`. A watch that stays silent for a minute (the
    /// controller sends a heartbeat every 15 s) counts as a lost connection.
    init(baseURL: String, token: String?) throws(HTTPError) {
        self.baseURL = baseURL
        self.token = token
        http = try CurlHTTPClient(configuration: HTTPClientConfiguration(connectTimeout: .seconds(5)))
    }

    /// `/v1/applications/APP` followed by `suffix`, with the name percent-encoded.
    static func applicationPath(_ app: String, _ suffix: String = "") -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove("/")
        return "/v1/applications/" + (app.addingPercentEncoding(withAllowedCharacters: allowed) ?? app) + suffix
    }

    /// GETs `path` and decodes its 2xx answer.
    func get<Value: Decodable>(_ path: String, as type: Value.Type = Value.self) async throws(ClientError) -> Value {
        try await exchange(request(.get, path), path: path).value
    }

    /// POSTs `body` as JSON to `path` and decodes its 2xx answer, with the status (201 created, 200 unchanged).
    func post<Value: Decodable>(_ path: String, body: some Encodable, as type: Value.Type = Value.self)
        async throws(ClientError) -> (status: Int, value: Value) {
        let data: Data
        do {
            data = try APIJSON.encoder().encode(body)
        } catch {
            throw .invalidResponse(path: path, status: 0, problem: "the request could not be encoded: \(error)")
        }
        var request = request(.post, path)
        request.headers.replaceOrAdd(name: "Content-Type", value: "application/json")
        request.body = Array(data)
        return try await exchange(request, path: path)
    }

    /// POSTs to `path` without a body.
    func post<Value: Decodable>(_ path: String, as type: Value.Type = Value.self) async throws(ClientError) -> (status: Int, value: Value) {
        try await exchange(request(.post, path), path: path)
    }

    /// Opens `GET /v1/applications/APP/watch` as JSON lines; throws the controller's error when it refuses.
    func watch(_ app: String) async throws(ClientError) -> HTTPLines {
        let path = Self.applicationPath(app, "/watch")
        var request = request(.get, path)
        request.headers.replaceOrAdd(name: "Accept", value: "application/x-ndjson")
        let stream: HTTPStream
        do {
            stream = try await http.stream(request)
        } catch {
            throw failure(error)
        }
        guard (200..<300).contains(stream.status) else {
            var body: [String] = []
            do {
                for try await line in stream.lines { body.append(line) }
            } catch {
                // The status says enough when the error body cannot be read.
            }
            throw Self.error(status: stream.status, body: Data(body.joined(separator: "\n").utf8), path: path)
        }
        return stream.lines
    }

    private func request(_ method: HTTPMethod, _ path: String) -> HTTPRequest {
        var headers: HTTPHeaders = ["Accept": "application/json"]
        if let token { headers.add(name: "Authorization", value: "Bearer \(token)") }
        return HTTPRequest(method: method, url: baseURL + path, headers: headers)
    }

    private func exchange<Value: Decodable>(_ request: HTTPRequest, path: String) async throws(ClientError) -> (status: Int, value: Value) {
        let response: HTTPResponse
        do {
            response = try await http.send(request)
        } catch {
            throw failure(error)
        }
        let body = Data(response.body)
        guard (200..<300).contains(response.status) else {
            throw Self.error(status: response.status, body: body, path: path)
        }
        do {
            return (response.status, try APIJSON.decoder().decode(Value.self, from: body))
        } catch {
            throw .invalidResponse(path: path, status: response.status, problem: "\(error)")
        }
    }

    /// The error for a failed exchange; a refused connection names the controller's URL.
    func failure(_ error: HTTPError) -> ClientError {
        error.kind == .connection ? .unreachable(url: displayURL) : .transport(error)
    }

    /// The base URL without user information, for messages.
    var displayURL: String {
        guard var components = URLComponents(string: baseURL), components.user != nil || components.password != nil else { return baseURL }
        components.user = nil
        components.password = nil
        return components.string ?? baseURL
    }

    /// The error an answer's status and body describe; a body that is not the API's error JSON is quoted.
    static func error(status: Int, body: Data, path: String) -> ClientError {
        if let decoded = try? APIJSON.decoder().decode(APIErrorBody.self, from: body) {
            return .api(status: status, reason: decoded.reason, message: decoded.message, details: decoded.details ?? [])
        }
        let text = String(decoding: body.prefix(500), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return .api(status: status, reason: "", message: "the controller answered \(status) to \(path)" + (text.isEmpty ? "" : ": \(text)"),
                    details: [])
    }
}
