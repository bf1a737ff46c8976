extension StringProtocol {
    /// The text in double quotes for a message, shortened in the middle when it is long, so a
    /// hostile megabyte-long value cannot flood the output.
    public var quoted: String { quoted(upTo: 64) }

    /// The text in double quotes, shortened in the middle only beyond `limit` characters: for
    /// values such as file paths that the reader needs whole.
    public func quoted(upTo limit: Int) -> String {
        guard count > limit else { return "\"\(self)\"" }
        return "\"\(prefix(limit - 24))…\(suffix(16))\" (\(count) characters)"
    }
}

extension Array where Element == String {
    /// The names joined with commas, at most `limit` of them and then how many more there are.
    public func listed(limit: Int = 8) -> String {
        count <= limit ? joined(separator: ", ") : prefix(limit).joined(separator: ", ") + " and \(count - limit) more"
    }
}
