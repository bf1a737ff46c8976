import Hummingbird
import TackEngine

/// Turns every error into a JSON error answer: engine errors by their meaning, Hummingbird's own
/// (no such route, body too large) by their status, and anything else as 500.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        } catch let error as EngineError {
            return try APIError(error).response(from: request, context: context)
        } catch let error as HTTPError {
            let message = error.body ?? Self.message(error.status, request)
            return try APIError(error.status, message, headers: error.headers).response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            return try APIError(error.status, Self.message(error.status, request)).response(from: request, context: context)
        } catch {
            return try APIError(.internalServerError, "internal error: \(error)").response(from: request, context: context)
        }
    }

    private static func message(_ status: HTTPResponse.Status, _ request: Request) -> String {
        switch status {
        case .notFound: "no route for \(request.method.rawValue) \(request.uri.path)"
        case .methodNotAllowed: "\(request.uri.path) does not answer \(request.method.rawValue)"
        default: status.reasonPhrase
        }
    }
}
