extension WordPieceTokenizer {
    /// The special tokens that, written literally in the text, encode as themselves (as in
    /// tokenizer.json's `added_tokens`: matched case-sensitively in the raw text, not normalized).
    static let specialTokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]

    /// A stretch of input: ordinary text to normalize and split, or a special token's id.
    enum Segment: Equatable {
        case text(String)
        case special(Int)
    }

    /// Cuts `text` at each literal special token, leftmost and then longest first.
    static func segments(of text: String, specials: [(scalars: [Unicode.Scalar], id: Int)]) -> [Segment] {
        let scalars = Array(text.unicodeScalars)
        guard !specials.isEmpty, scalars.contains("[") else { return [.text(text)] }
        var segments: [Segment] = []
        var pending = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let match = specials
                .filter { scalars[index...].starts(with: $0.scalars) }
                .max { $0.scalars.count < $1.scalars.count }
            if let match {
                if !pending.isEmpty { segments.append(.text(String(pending))) }
                pending = String.UnicodeScalarView()
                segments.append(.special(match.id))
                index += match.scalars.count
            } else {
                pending.append(scalars[index])
                index += 1
            }
        }
        if !pending.isEmpty { segments.append(.text(String(pending))) }
        return segments
    }
}
