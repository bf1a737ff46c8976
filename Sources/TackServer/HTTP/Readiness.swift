import Synchronization

/// Whether the server listens and the engine runs, shared by the services and `/readyz`.
final class Readiness: Sendable {
    private let state = Mutex((isListening: false, isEngineRunning: false))

    /// Records whether the server accepts connections.
    func setListening(_ value: Bool) {
        state.withLock { $0.isListening = value }
    }

    /// Records whether the engine reconciles.
    func setEngineRunning(_ value: Bool) {
        state.withLock { $0.isEngineRunning = value }
    }

    /// Whether both are so.
    var isReady: Bool {
        state.withLock { $0.isListening && $0.isEngineRunning }
    }
}
