/// Runs `operation`, failing with `EngineError.unavailable` when it takes longer than `limit`.
func withDeadline<T: Sendable>(_ limit: Duration, account: String, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw EngineError.unavailable(account: account, reason: "no answer within \(limit)")
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}
