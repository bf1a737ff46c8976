/// Scalars written so that a YAML 1.1 or 1.2 reader reads back the same string: plain when that
/// is safe, otherwise double-quoted, and multi-line text as a literal block where it can be.
enum YAMLScalar {
    /// Words YAML 1.1 reads as booleans or null.
    private static let reserved: Set<String> = ["null", "~", "true", "false", "yes", "no", "on", "off", "y", "n", "<<", "="]
    /// Characters that start something else than a plain scalar.
    private static let indicators: Set<Character> = ["-", "?", ":", ",", "[", "]", "{", "}", "#", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`"]
    /// Characters of numbers in any base or notation (`0x1F`, `1_000`, `1:30`, `6.02e+23`).
    private static let numeric: Set<Character> = Set("0123456789abcdefABCDEFxXoO_.:+-")

    /// The string as a plain or double-quoted scalar, on one line.
    static func inline(_ text: String) -> String {
        isPlainSafe(text) ? text : doubleQuoted(text)
    }

    /// Whether `text` can be written unquoted and read back as the same string.
    static func isPlainSafe(_ text: String) -> Bool {
        guard let first = text.first, let last = text.last else { return false }
        if reserved.contains(text.lowercased()) || looksNumeric(text) || looksLikeDate(text) { return false }
        if indicators.contains(first) || first == " " || last == " " || last == ":" { return false }
        if text.contains(": ") || text.contains(" #") { return false }
        return text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F && !isSpecial($0) }
    }

    /// The lines of a literal block (`|`, `|-` or `|+` and the text's lines), or nil when the text
    /// cannot be one (a first line that starts with a space, control characters, blank lines of spaces).
    static func literalBlock(_ text: String) -> (header: String, lines: [String])? {
        guard text.contains("\n"), !text.hasPrefix(" "), text.contains(where: { $0 != "\n" }) else { return nil }
        let printable = text.unicodeScalars.allSatisfy { $0 == "\n" || ($0.value >= 0x20 && $0.value != 0x7F && !isSpecial($0)) }
        guard printable else { return nil }
        var body = Substring(text)
        let header: String
        if body.hasSuffix("\n\n") {
            header = "|+"
            body.removeLast()
        } else if body.hasSuffix("\n") {
            header = "|"
            body.removeLast()
        } else {
            header = "|-"
        }
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard !lines.contains(where: { !$0.isEmpty && $0.allSatisfy { $0 == " " } }) else { return nil }
        return (header, lines)
    }

    /// `"…"` with YAML's escapes.
    static func doubleQuoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\0": out += "\\0"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || isSpecial(scalar) {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Next-line, line and paragraph separators, and the byte-order mark: line breaks or noise to a reader.
    private static func isSpecial(_ scalar: Unicode.Scalar) -> Bool {
        [0x85, 0x2028, 0x2029, 0xFEFF].contains(scalar.value) || (0x80..<0xA0).contains(scalar.value)
    }

    private static func looksNumeric(_ text: String) -> Bool {
        if [".inf", "+.inf", "-.inf", ".nan"].contains(text.lowercased()) { return true }
        if Double(text) != nil { return true }
        let digits = text.drop { $0 == "+" || $0 == "-" || $0 == "." }
        return digits.first?.isASCII == true && digits.first?.isNumber == true && text.allSatisfy(numeric.contains)
    }

    /// `2025-11-22` and timestamps starting so, which YAML 1.1 reads as dates.
    private static func looksLikeDate(_ text: String) -> Bool {
        let head = Array(text.prefix(6))
        return head.count == 6 && head[0..<4].allSatisfy(\.isNumber) && head[4] == "-" && head[5].isNumber
    }
}
