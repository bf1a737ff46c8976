import Foundation
import Hummingbird

/// How a watch writes its messages: JSON lines, or server-sent events when the client accepts
/// `text/event-stream`.
enum WatchFraming: Sendable {
    /// One JSON object per line (`application/x-ndjson`).
    case jsonLines
    /// `event: <type>` and `data: <JSON>` per message; heartbeats are comments.
    case serverSentEvents

    /// The framing an `Accept` header asks for.
    init(accept: String?) {
        self = accept?.lowercased().contains("text/event-stream") == true ? .serverSentEvents : .jsonLines
    }

    /// The answer's `Content-Type`.
    var contentType: String {
        switch self {
        case .jsonLines: "application/x-ndjson"
        case .serverSentEvents: "text/event-stream"
        }
    }

    /// The bytes of one message.
    func frame(_ message: WatchMessage) throws -> ByteBuffer {
        let json = String(decoding: try APIJSON.encoder().encode(message), as: UTF8.self)
        switch self {
        case .jsonLines:
            return ByteBuffer(string: json + "\n")
        case .serverSentEvents:
            if case .heartbeat = message { return ByteBuffer(string: ": heartbeat\n\n") }
            return ByteBuffer(string: "event: \(message.type)\ndata: \(json)\n\n")
        }
    }
}
