import Foundation
import TackEngine
import TackHTTP
import TackServer

/// Follows an application's watch stream until its execution ends or pauses, showing each change
/// on a display, and gives the last state.
struct WatchSession {
    /// What the session reacts to: a line of the stream, its end, or the passing of time.
    private enum Input: Sendable {
        case line(String)
        case ended
        case failed(any Error)
        case tick
    }

    let client: ControllerClient
    let app: String
    /// How long the stream must be quiet after a settled state before the watch stops.
    var quiet: TimeInterval = 1
    /// How often the display is told that time passed.
    var tickInterval: Duration = .milliseconds(250)

    /// Runs the watch; throws when the controller refuses it or the stream ends early.
    func run(on display: inout some WatchDisplay) async throws(ClientError) -> ExecutionView {
        let lines = try await client.watch(app)
        let (inputs, continuation) = AsyncStream.makeStream(of: Input.self)
        let reader = Task {
            do {
                for try await line in lines { continuation.yield(.line(line)) }
                continuation.yield(.ended)
            } catch {
                continuation.yield(.failed(error))
            }
        }
        let interval = tickInterval
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                continuation.yield(.tick)
            }
        }
        defer {
            reader.cancel()
            ticker.cancel()
            continuation.finish()
        }
        var state = WatchState(now: Date())
        display.begin()
        defer { display.end(state: state, now: Date()) }
        let decoder = APIJSON.decoder()
        for await input in inputs {
            let now = Date()
            switch input {
            case .line(let line):
                guard !line.allSatisfy(\.isWhitespace) else { continue }
                let message: WatchMessage
                do {
                    message = try decoder.decode(WatchMessage.self, from: Data(line.utf8))
                } catch {
                    throw .invalidResponse(path: ControllerClient.applicationPath(app, "/watch"), status: 200, problem: "\(error)")
                }
                state.receive(message, at: now)
                display.received(message, state: state, now: now)
            case .tick:
                display.tick(state: state, now: now)
                if state.isSettled(now: now, quiet: quiet), let view = state.view { return view }
            case .ended:
                guard let view = state.view, WatchVerdict.isSettled(view.phase) else { throw .streamEnded(app: app) }
                return view
            case .failed(let error):
                guard let error = error as? HTTPError else { throw .streamEnded(app: app) }
                throw client.failure(error)
            }
        }
        throw .streamEnded(app: app)
    }
}
