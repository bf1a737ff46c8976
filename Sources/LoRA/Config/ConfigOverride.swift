/// A value a `LORA_<KEY>` environment variable put in place of the file's (or the default).
public struct ConfigOverride: Sendable, Equatable, CustomStringConvertible {
    /// The variable, such as `LORA_LEARNING_RATE`.
    public var variable: String
    /// The config key, such as `learning_rate`.
    public var key: String
    /// The value before, as text.
    public var oldValue: String
    /// The value now, as text.
    public var newValue: String

    /// An override.
    public init(variable: String, key: String, oldValue: String, newValue: String) {
        self.variable = variable
        self.key = key
        self.oldValue = oldValue
        self.newValue = newValue
    }

    /// `learning_rate: 0.0002 → 0.0001 (LORA_LEARNING_RATE)`, the line to log.
    public var description: String { "\(key): \(oldValue) → \(newValue) (\(variable))" }
}
