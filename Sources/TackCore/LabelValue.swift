/// Kubernetes label values: empty, or at most 63 characters of `[A-Za-z0-9_.-]` that start and end
/// with a letter or digit (`(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?`).
enum LabelValue {
    /// The longest label value Kubernetes accepts.
    static let maxLength = 63
    /// How many hex digits of the SHA-256 of the original text end a value that had to change.
    static let hashLength = 8

    /// `text` when it is a non-empty valid label value. Otherwise a readable part of it (other
    /// characters replaced by `_`, from its first letter or digit, cut to fit, ending in a letter or
    /// digit), then `-` and 8 hex digits of the SHA-256 of the whole `text`; so two texts that
    /// differ only past the cut, or only in characters replaced or trimmed, still differ.
    static func from(_ text: String) -> String {
        if !text.isEmpty, isValid(text) { return text }
        let hash = SHA256.hex(SHA256.hash(text.utf8)).prefix(hashLength)
        let safe = text.map { $0.isLabelSafe ? $0 : "_" }.drop { !$0.isASCIIAlnum }
        var readable = safe.prefix(maxLength - hashLength - 1)
        while let last = readable.last, !last.isASCIIAlnum { readable.removeLast() }
        return readable.isEmpty ? String(hash) : String(readable) + "-" + hash
    }

    /// Whether `text` is a valid label value (the empty string is).
    static func isValid(_ text: String) -> Bool {
        guard let first = text.first, let last = text.last else { return true }
        return text.count <= maxLength && first.isASCIIAlnum && last.isASCIIAlnum && text.allSatisfy(\.isLabelSafe)
    }
}

extension Character {
    /// A character a label value may hold: an ASCII letter or digit, `-`, `_` or `.`.
    fileprivate var isLabelSafe: Bool {
        isASCIIAlnum || self == "-" || self == "_" || self == "."
    }
}
