import Hummingbird
import TackEngine

/// An error answer: a status and the JSON body `{"code", "reason", "message", "details"?}`.
struct APIError: HTTPResponseError {
    let body: APIErrorBody
    var headers: HTTPFields = [:]

    var status: HTTPResponse.Status { HTTPResponse.Status(code: body.code) }

    init(_ status: HTTPResponse.Status, _ message: String, details: [String]? = nil, headers: HTTPFields = [:]) {
        body = APIErrorBody(code: status.code, message: message, details: details)
        self.headers = headers
    }

    /// The answer to an engine error: 404 for a missing execution, 409 when there is nothing to
    /// judge or roll back to, 422 for files that do not decode, 503 for an unreachable account,
    /// 500 for the store; 409 for an execution that ended meanwhile.
    init(_ error: EngineError) {
        switch error {
        case .invalidRevision(_, _, let problems): self.init(.unprocessableContent, error.description, details: problems)
        case .noExecution: self.init(.notFound, error.description)
        case .notRunning, .noPreviousRevision, .endedMeanwhile: self.init(.conflict, error.description)
        case .unavailable: self.init(.serviceUnavailable, error.description)
        case .store: self.init(.internalServerError, error.description)
        }
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try APIJSON.response(body, status: status)
        for field in headers { response.headers.append(field) }
        return response
    }
}
