/// One event of a watch stream.
public struct WatchEvent: Sendable, Hashable {
    /// The event type as the API writes it.
    public enum Kind: String, Sendable, Hashable {
        case added = "ADDED"
        case modified = "MODIFIED"
        case deleted = "DELETED"
        /// Only `metadata.resourceVersion` is set: the point a watch may resume from.
        case bookmark = "BOOKMARK"
        /// The object is a failure `Status` (410 Expired when the resourceVersion is too old).
        case error = "ERROR"
    }

    /// The type.
    public var kind: Kind
    /// The object (its last state for DELETED; a Status for ERROR).
    public var object: JSONValue

    /// An event.
    public init(kind: Kind, object: JSONValue) {
        self.kind = kind
        self.object = object
    }

    /// Decodes one line of a watch stream.
    static func decode(_ line: String) throws(KubeError) -> WatchEvent {
        let value = try JSONValue.parse(Array(line.utf8), what: "a watch event")
        guard let type = value["type"]?.string, let kind = Kind(rawValue: type), let object = value["object"] else {
            throw .decoding("a watch event without a known type and an object")
        }
        return WatchEvent(kind: kind, object: object)
    }

    /// The Status of an ERROR event.
    var status: StatusError {
        let status = try? JSONValue.parse(object.jsonBytes).decode(KubeStatus.self)
        return StatusError(code: status?.code ?? 500, status: status, request: "watch")
    }
}

extension JSONValue {
    /// Decodes the tree as `type`.
    func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
        try JSONDecoderBox.decode(type, from: jsonBytes)
    }
}
