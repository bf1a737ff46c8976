import TackEngine

/// One message of `GET /v1/applications/{app}/watch`: `{"type": "state", "execution": …}`,
/// `{"type": "event", "event": …}`, or `{"type": "heartbeat"}` after a quiet while.
public enum WatchMessage: Sendable, Hashable, Codable {
    /// The execution's view, whenever it changed.
    case state(ExecutionView)
    /// One new event, in order.
    case event(EngineEvent)
    /// Nothing happened for a while; the connection is alive.
    case heartbeat

    private enum CodingKeys: String, CodingKey {
        case type, execution, event
    }

    /// The `type` field's value, also the SSE event name.
    public var type: String {
        switch self {
        case .state: "state"
        case .event: "event"
        case .heartbeat: "heartbeat"
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .type) {
        case "state": self = .state(try container.decode(ExecutionView.self, forKey: .execution))
        case "event": self = .event(try container.decode(EngineEvent.self, forKey: .event))
        case "heartbeat": self = .heartbeat
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "unknown message type \(other)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        switch self {
        case .state(let view): try container.encode(view, forKey: .execution)
        case .event(let event): try container.encode(event, forKey: .event)
        case .heartbeat: break
        }
    }
}
