extension HTTPTransport {
    /// Sends a request and gives the response when its status is in `accepted`; otherwise throws
    /// a `.status` error naming the request and the status, never the response body.
    public func send(_ request: HTTPRequest, accepting accepted: Range<Int>) async throws(HTTPError) -> HTTPResponse {
        let response = try await send(request)
        guard accepted.contains(response.status) else { throw HTTPError(status: response.status, request: request) }
        return response
    }
}

extension HTTPError {
    /// A `.status` error for the response to `request`: the status's reason phrase as message.
    public init(status: Int, request: HTTPRequest, attempts: Int = 1) {
        let target = try? RequestTarget(request, serverName: nil)
        self.init(.status(status), method: request.method, host: target?.authority ?? "", path: target?.path ?? "",
                  message: Self.reasonPhrase(status), attempts: attempts)
    }

    /// The standard reason phrase of a status (RFC 9110 and 6585), or its class.
    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 410: "Gone"
        case 412: "Precondition Failed"
        case 413: "Content Too Large"
        case 415: "Unsupported Media Type"
        case 422: "Unprocessable Content"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        case 300..<400: "Redirection"
        case 400..<500: "Client Error"
        case 500..<600: "Server Error"
        default: "Unexpected Status"
        }
    }
}
