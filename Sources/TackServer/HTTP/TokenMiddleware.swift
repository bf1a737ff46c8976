import Hummingbird

/// Admits a request only with `Authorization: Bearer <token>`, the controller's token or a web
/// page session's: 401 without it, 403 with another token. The probes, `/metrics`, the page and
/// its assets (which hold no data) and the exchange of a one-time code need none. The comparison
/// with the controller's token takes the same time wherever the tokens differ, and no token is
/// ever put into an answer.
struct TokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: [UInt8]
    let sessions: DashboardSessions
    /// The paths served without a token.
    static var exempt: Set<String> { ["/healthz", "/readyz", "/metrics", "/", DashboardRoutes.sessionPath] }

    init(token: String, sessions: DashboardSessions) {
        self.token = Array(token.utf8)
        self.sessions = sessions
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard !Self.exempt.contains(path), !path.hasPrefix(DashboardRoutes.assetsPrefix) else {
            return try await next(request, context)
        }
        guard let header = request.headers[.authorization], header.count > 7,
              header.prefix(7).lowercased() == "bearer " else {
            throw APIError(
                .unauthorized, "this request needs Authorization: Bearer <token>; the token is in $TACK_HOME/controller.token",
                headers: [.wwwAuthenticate: "Bearer"])
        }
        let presented = header.dropFirst(7).drop { $0 == " " }
        guard Self.matches(Array(presented.utf8), token) || sessions.admits(presented) else {
            throw APIError(.forbidden, "the bearer token is not this controller's")
        }
        return try await next(request, context)
    }

    /// Whether `presented` equals `expected`, in time that depends only on `expected`'s length.
    static func matches(_ presented: [UInt8], _ expected: [UInt8]) -> Bool {
        var difference: UInt8 = presented.count == expected.count ? 0 : 1
        for index in expected.indices {
            difference |= expected[index] ^ (index < presented.count ? presented[index] : 0)
        }
        return difference == 0
    }
}
