extension StringProtocol {
    /// The text in double quotes for a message, shortened in the middle when it is long, so a
    /// hostile megabyte-long value cannot flood the output.
    public var quoted: String {
        guard count > 64 else { return "\"\(self)\"" }
        return "\"\(prefix(40))…\(suffix(16))\" (\(count) characters)"
    }
}

extension Array where Element == String {
    /// The names joined with commas, at most `limit` of them and then how many more there are.
    public func listed(limit: Int = 8) -> String {
        count <= limit ? joined(separator: ", ") : prefix(limit).joined(separator: ", ") + " and \(count - limit) more"
    }
}
