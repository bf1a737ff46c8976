import ServiceLifecycle
import TackEngine

/// The messages of one watch of an application: its latest execution's state and every event so
/// far, then each new event and each changed state, read every `interval`, until the state in
/// which the execution ended; when following, the application's next execution after it.
struct ExecutionWatch: Sendable {
    let engine: Engine
    let app: String
    let follows: Bool
    let interval: Duration
    let heartbeat: Duration

    /// Sends the messages through `send`; returns after the end state (never, when following),
    /// when the server shuts down, or when the execution is gone.
    func run(from first: ExecutionView, send: (WatchMessage) async throws -> Void) async throws {
        var state = first
        var sequence: Int64 = 0
        var lastSent = ContinuousClock.now
        func emit(_ message: WatchMessage) async throws {
            try await send(message)
            lastSent = .now
            if case .event(let event) = message { sequence = event.sequence }
        }

        try await emit(.state(state))
        for event in try engine.store.events(executionID: state.id) { try await emit(.event(event)) }
        while !Task.isShuttingDownGracefully {
            if state.isTerminal {
                guard follows else { return }
                if let next = try engine.store.latestExecution(app: app), next.id > state.id, let view = try await engine.view(next.id) {
                    state = view
                    sequence = 0
                    try await emit(.state(view))
                    for event in try engine.store.events(executionID: view.id) { try await emit(.event(event)) }
                    continue
                }
            }
            try await Task.sleep(for: interval)
            if ContinuousClock.now - lastSent >= heartbeat { try await emit(.heartbeat) }
            guard !state.isTerminal else { continue }
            // The view first: every event of the state it shows is stored by then.
            guard let view = try await engine.view(state.id) else { return }
            for event in try engine.store.events(executionID: state.id, after: sequence) { try await emit(.event(event)) }
            if view != state {
                state = view
                try await emit(.state(view))
            }
        }
    }
}
