/// A `Status` object, as the API server sends it with every failure (and in watch `ERROR` events).
public struct KubeStatus: Sendable, Hashable, Codable {
    /// One reason a request was invalid or conflicted.
    public struct Cause: Sendable, Hashable, Codable {
        /// Why, such as `FieldValueInvalid` or `FieldManagerConflict` (serialized as `reason`).
        public var reason: String?
        /// The sentence for this cause.
        public var message: String?
        /// The field at fault, such as `spec.replicas`.
        public var field: String?

        /// A cause.
        public init(reason: String? = nil, message: String? = nil, field: String? = nil) {
            self.reason = reason
            self.message = message
            self.field = field
        }
    }

    /// What the failure concerned.
    public struct Details: Sendable, Hashable, Codable {
        public var name: String?
        public var group: String?
        public var kind: String?
        public var causes: [Cause]?
        /// How long to wait before retrying, for 429 and some 5xx.
        public var retryAfterSeconds: Int?

        /// Details.
        public init(name: String? = nil, group: String? = nil, kind: String? = nil, causes: [Cause]? = nil, retryAfterSeconds: Int? = nil) {
            self.name = name
            self.group = group
            self.kind = kind
            self.causes = causes
            self.retryAfterSeconds = retryAfterSeconds
        }
    }

    /// `Success` or `Failure`.
    public var status: String?
    public var message: String?
    /// The machine-readable reason, such as `NotFound`.
    public var reason: String?
    public var code: Int?
    public var details: Details?

    /// A status.
    public init(status: String? = "Failure", message: String? = nil, reason: String? = nil, code: Int? = nil, details: Details? = nil) {
        self.status = status
        self.message = message
        self.reason = reason
        self.code = code
        self.details = details
    }
}
