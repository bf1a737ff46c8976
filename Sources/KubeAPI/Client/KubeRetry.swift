import Foundation

/// When client-go sends a request again: after a 429 or 5xx that carries an integer `Retry-After`
/// (waiting that long), and after a connection reset or closed mid-answer, for GET only (waiting a second).
enum KubeRetry {
    /// How an attempt ended.
    enum Outcome: Equatable {
        case response(status: Int, retryAfter: String?)
        /// The connection was reset or closed before the answer was complete.
        case connectionError
    }

    /// The wait before the next attempt, or nil to stop. `attempt` counts from 1.
    static func delay(method: String, outcome: Outcome, attempt: Int, maxRetries: Int, maxRetryAfter: Duration) -> Duration? {
        guard attempt <= maxRetries else { return nil }
        switch outcome {
        case .connectionError:
            return method == "GET" ? .seconds(1) : nil
        case .response(let status, let retryAfter):
            guard status == 429 || status >= 500, let seconds = seconds(retryAfter) else { return nil }
            let wait = Duration.seconds(seconds)
            return wait <= maxRetryAfter ? wait : nil
        }
    }

    /// The seconds of a `Retry-After` that is a plain integer (`strconv.Atoi`); nil for an HTTP date or junk.
    static func seconds(_ text: String?) -> Int? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty, text.count <= 9,
              text.allSatisfy(\.isASCII), let value = Int(text), value >= 0
        else { return nil }
        return value
    }
}
