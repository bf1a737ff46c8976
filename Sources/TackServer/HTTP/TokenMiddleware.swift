import Hummingbird

/// Admits a request only with `Authorization: Bearer <token>`: 401 without it, 403 with another
/// token; the probes and `/metrics` need none. The comparison takes the same time wherever the
/// tokens differ, and neither token is ever put into an answer.
struct TokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: [UInt8]
    /// The paths served without a token.
    static var exempt: Set<String> { ["/healthz", "/readyz", "/metrics"] }

    init(token: String) {
        self.token = Array(token.utf8)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !Self.exempt.contains(request.uri.path) else { return try await next(request, context) }
        guard let header = request.headers[.authorization], header.count > 7,
              header.prefix(7).lowercased() == "bearer " else {
            throw APIError(
                .unauthorized, "this request needs Authorization: Bearer <token>; the token is in $TACK_HOME/controller.token",
                headers: [.wwwAuthenticate: "Bearer"])
        }
        let presented = header.dropFirst(7).drop { $0 == " " }
        guard Self.matches(Array(presented.utf8), token) else {
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
