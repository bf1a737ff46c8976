import ArgumentParser
import TackHTTP

/// Why a request to the controller failed. Its `description` is the sentence the CLI prints after
/// `error: `; it never holds the token.
enum ClientError: Error, CustomStringConvertible {
    /// No connection could be made to the controller.
    case unreachable(url: String)
    /// The controller answered with an error body (`details` for 422: one problem per line).
    case api(status: Int, reason: String, message: String, details: [String])
    /// The controller's answer could not be read.
    case invalidResponse(path: String, status: Int, problem: String)
    /// The exchange failed in another way (a timeout, TLS, a dropped connection).
    case transport(HTTPError)
    /// The watch stream ended before the execution did, or before its first state.
    case streamEnded(app: String)

    var description: String {
        switch self {
        case .unreachable(let url):
            "cannot reach the controller at \(url) (is tack controller running?)"
        case .api(_, _, let message, _):
            message
        case .invalidResponse(let path, let status, let problem):
            "the controller's answer to \(path) (status \(status)) could not be read: \(problem)"
        case .transport(let error):
            "\(error)"
        case .streamEnded(let app):
            "the watch of \(app) ended before its execution did"
        }
    }

    /// The lines printed under the error: one per problem of an invalid pipeline.
    var detailLines: [String] {
        if case .api(_, _, _, let details) = self { return details }
        return []
    }
}

extension ClientError {
    /// Prints `error: MESSAGE` and the detail lines to stderr and gives exit code 1.
    func report() -> ExitCode {
        Console.err("error: \(self)\n" + detailLines.map { "  \($0)\n" }.joined())
        return ExitCode(1)
    }

    /// Prints any error as the controller commands do and gives the exit code to throw: an
    /// `ExitCode` passes through, everything else exits 1.
    static func exit(_ error: any Error) -> ExitCode {
        switch error {
        case let code as ExitCode: return code
        case let error as ClientError: return error.report()
        default:
            Console.err("error: \(error)\n")
            return ExitCode(1)
        }
    }
}
