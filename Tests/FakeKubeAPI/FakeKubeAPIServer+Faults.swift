/// Faults, authentication and the request log, for tests of how a client copes and what it sends.
extension FakeKubeAPIServer {
    /// The next `count` requests that `matching` accepts fail with `status` (429, 500, 503, ...) and a
    /// Status shaped as the server's own; `retryAfter` adds a `Retry-After` header and, when it is an
    /// integer, `details.retryAfterSeconds`.
    public func failNext(_ count: Int = 1, status: Int, message: String? = nil, retryAfter: String? = nil,
                         matching: @escaping @Sendable (RecordedRequest) -> Bool = { _ in true }) {
        let fault = InjectedFault(remaining: count, answer: .status(code: status, message: message, retryAfter: retryAfter), matches: matching)
        core.state.withLock { $0.faults.append(fault) }
    }

    /// The next `count` requests that `matching` accepts get a response head and then a closed
    /// connection with no body, as when a load balancer or the apiserver dies mid-response.
    public func dropNext(_ count: Int = 1, matching: @escaping @Sendable (RecordedRequest) -> Bool = { _ in true }) {
        let fault = InjectedFault(remaining: count, answer: .dropConnection, matches: matching)
        core.state.withLock { $0.faults.append(fault) }
    }

    /// Forgets faults not used up yet.
    public func clearFaults() {
        core.state.withLock { $0.faults.removeAll() }
    }

    /// Requires `Authorization: Bearer <token>` on every request (401 otherwise); nil admits all.
    /// Calling it again rotates the accepted token.
    public func requireToken(_ token: String?) {
        core.state.withLock { $0.tokenPolicy = token.map(TokenPolicy.token) ?? .anyRequest }
    }

    /// Requires a bearer token that `accepts` admits (401 otherwise).
    public func requireToken(where accepts: @escaping @Sendable (String) -> Bool) {
        core.state.withLock { $0.tokenPolicy = .check(accepts) }
    }

    /// Every request received so far, oldest first.
    public var requests: [RecordedRequest] {
        core.state.withLock { $0.requests }
    }

    /// Empties the request log.
    public func clearRequests() {
        core.state.withLock { $0.requests.removeAll() }
    }

    /// Changes the options; watch settings apply to watches opened afterwards.
    public func setOptions(_ change: (inout FakeKubeAPIOptions) -> Void) {
        core.state.withLock { state in
            change(&state.options)
            state.store.historyLimit = state.options.historyLimit
            state.store.requiresNamespaces = state.options.requiresNamespaces
        }
    }
}
