/// The body of every error answer, shaped as Kubernetes' `Status`:
/// `{"code": 404, "reason": "NotFound", "message": "…", "details": […]}`.
public struct APIErrorBody: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The HTTP status code.
    public var code: Int
    /// The status' name: `BadRequest`, `Unauthorized`, `Forbidden`, `NotFound`, `Conflict`, `Invalid`, …
    public var reason: String
    /// The sentence for people.
    public var message: String
    /// The problems of an invalid input, as `file:line:column: message`; absent otherwise.
    public var details: [String]?

    /// An error body; `reason` defaults to the one of `code`.
    public init(code: Int, reason: String? = nil, message: String, details: [String]? = nil) {
        self.code = code
        self.reason = reason ?? Self.reason(forCode: code)
        self.message = message
        self.details = details
    }

    /// The message, with each detail on a line of its own.
    public var description: String {
        ([message] + (details ?? [])).joined(separator: "\n")
    }

    /// The reason Kubernetes gives a status code.
    public static func reason(forCode code: Int) -> String {
        switch code {
        case 400: "BadRequest"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "NotFound"
        case 405: "MethodNotAllowed"
        case 406: "NotAcceptable"
        case 409: "Conflict"
        case 413: "RequestEntityTooLarge"
        case 415: "UnsupportedMediaType"
        case 422: "Invalid"
        case 429: "TooManyRequests"
        case 503: "ServiceUnavailable"
        case 504: "Timeout"
        default: code >= 500 ? "InternalError" : "BadRequest"
        }
    }
}
