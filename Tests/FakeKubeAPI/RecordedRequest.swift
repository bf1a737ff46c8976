import KubeAPI

/// A request the fake received, as tests inspect it. Its description never shows the Authorization value.
public struct RecordedRequest: Sendable, CustomStringConvertible {
    /// `GET`, `PATCH`, ...
    public var method: String
    /// The URL path, such as `/apis/apps/v1/namespaces/prod/deployments/web`.
    public var path: String
    /// The raw query string without `?`.
    public var rawQuery: String
    /// The decoded query parameters (first value of each).
    public var query: [String: String]
    /// The `Content-Type` header.
    public var contentType: String?
    /// The `Accept` header.
    public var accept: String?
    /// The request body.
    public var body: [UInt8]
    /// The `Authorization` header value, for tests that check the token sent; never print it.
    public var authorization: String?

    /// Whether an `Authorization` header was sent.
    public var hasAuthorization: Bool { authorization != nil }

    /// The bearer token sent, if any.
    public var bearerToken: String? {
        guard let authorization, authorization.hasPrefix("Bearer ") else { return nil }
        return String(authorization.dropFirst("Bearer ".count))
    }

    /// The body parsed as JSON, when it is JSON.
    public var json: JSONValue? { try? JSONValue.parse(body) }

    /// Whether the request is a watch (`watch=1`/`watch=true`).
    public var isWatch: Bool { QueryParameters(rawQuery).bool("watch") == true || path.contains("/watch/") }

    public var description: String {
        let query = rawQuery.isEmpty ? "" : "?" + rawQuery
        return "\(method) \(path)\(query) (\(body.count) bytes\(hasAuthorization ? ", authorized" : ""))"
    }
}

/// A request on its way through the fake.
struct IncomingRequest: Sendable {
    var method: String
    var path: String
    var rawQuery: String
    var query: QueryParameters
    /// Header values by lowercased name.
    var headers: [String: String]
    var body: [UInt8]

    init(method: String, path: String, rawQuery: String, headers: [String: String], body: [UInt8]) {
        self.method = method
        self.path = path
        self.rawQuery = rawQuery
        self.query = QueryParameters(rawQuery)
        self.headers = headers
        self.body = body
    }

    /// The media type of the body without parameters, lowercased.
    var mediaType: String? {
        headers["content-type"].map { $0.split(separator: ";").first.map(String.init)?.trimmingSpaces.lowercased() ?? "" }
    }

    /// The record kept in the request log.
    var record: RecordedRequest {
        RecordedRequest(method: method, path: path, rawQuery: rawQuery, query: query.firstValues, contentType: headers["content-type"],
                        accept: headers["accept"], body: body, authorization: headers["authorization"])
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
