/// A decoded URL query, as Go's `url.ParseQuery` reads it (`+` is a space).
struct QueryParameters: Sendable {
    private(set) var values: [String: [String]] = [:]

    /// Parses `rawQuery` (without the `?`).
    init(_ rawQuery: String) {
        for pair in rawQuery.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            values[name, default: []].append(parts.count > 1 ? Self.decode(parts[1]) : "")
        }
    }

    /// The first value of `name`.
    subscript(name: String) -> String? { values[name]?.first }

    /// Whether `name` is present (even with an empty value).
    func contains(_ name: String) -> Bool { values[name] != nil }

    /// The value of `name` read as Go's `strconv.ParseBool` reads it; nil when absent or unreadable.
    func bool(_ name: String) -> Bool? {
        switch self[name] {
        case "1", "t", "T", "true", "TRUE", "True": true
        case "0", "f", "F", "false", "FALSE", "False": false
        default: nil
        }
    }

    /// The first value of every parameter, for the request log.
    var firstValues: [String: String] { values.compactMapValues(\.first) }

    /// Percent-decodes `text`, reading `+` as a space; malformed escapes stay as they are.
    static func decode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), utf8.count >= 2,
                      let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
