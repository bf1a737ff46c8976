/// A failure a test asked for: the next `remaining` requests that `matches` accepts get it.
struct InjectedFault: Sendable {
    /// What the failing request gets.
    enum Answer: Sendable {
        /// A Status with this HTTP code.
        case status(code: Int, message: String?, retryAfter: String?)
        /// The response head, then the connection closes with no body.
        case dropConnection
    }

    var remaining: Int
    var answer: Answer
    var matches: @Sendable (RecordedRequest) -> Bool
}

/// Which bearer tokens the fake accepts.
enum TokenPolicy: Sendable {
    case anyRequest
    case token(String)
    case check(@Sendable (String) -> Bool)

    /// Whether a request with this `Authorization` header value is admitted.
    func admits(_ authorization: String?) -> Bool {
        let token = authorization.flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
        switch self {
        case .anyRequest: return true
        case .token(let expected): return token == expected
        case .check(let accepts): return token.map(accepts) ?? false
        }
    }
}
