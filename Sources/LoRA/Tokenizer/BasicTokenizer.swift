import Foundation

/// The text normalization and word splitting BERT does before WordPiece, scalar by scalar as
/// Hugging Face `tokenizers` does it (`BertNormalizer` then `BertPreTokenizer`), uncased.
///
/// `tokenizers` takes general categories from tables of Unicode 8.0 that list no unassigned code
/// points, so a scalar is control, punctuation or a nonspacing mark here only when it was one in
/// Unicode 8.0; later or unassigned scalars are kept as letters, exactly as there.
enum BasicTokenizer {
    /// The Unicode version of the category tables Hugging Face `tokenizers` uses.
    static let categoryVersion: Unicode.Version = (major: 8, minor: 0)

    /// The scalar's general category as of Unicode 8.0, or nil when it was not assigned then.
    static func category(_ scalar: Unicode.Scalar) -> Unicode.GeneralCategory? {
        guard let age = scalar.properties.age,
            age.major < categoryVersion.major || (age.major == categoryVersion.major && age.minor <= categoryVersion.minor)
        else { return nil }
        return scalar.properties.generalCategory
    }

    /// Splits `text` into lowercased, accent-free words and single punctuation marks.
    static func words(in text: String) -> [[Unicode.Scalar]] {
        split(normalize(text))
    }

    /// Cleans, spaces out CJK ideographs, strips accents and lowercases, in that order.
    static func normalize(_ text: String) -> [Unicode.Scalar] {
        var cleaned = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.value == 0 || scalar.value == 0xFFFD || isControl(scalar) { continue }
            if isWhitespace(scalar) {
                cleaned.append(" ")
            } else if isCJKIdeograph(scalar) {
                cleaned.append(contentsOf: [" ", scalar, " "])
            } else {
                cleaned.append(scalar)
            }
        }
        var normalized: [Unicode.Scalar] = []
        for scalar in String(cleaned).decomposedStringWithCanonicalMapping.unicodeScalars
        where category(scalar) != .nonspacingMark {
            normalized.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
        }
        return normalized
    }

    /// Splits on whitespace and puts every punctuation mark into a word of its own.
    static func split(_ scalars: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        var words: [[Unicode.Scalar]] = []
        var word: [Unicode.Scalar] = []
        for scalar in scalars {
            if scalar.properties.isWhitespace || isPunctuation(scalar) {
                if !word.isEmpty { words.append(word) }
                word = []
                if isPunctuation(scalar) { words.append([scalar]) }
            } else {
                word.append(scalar)
            }
        }
        if !word.isEmpty { words.append(word) }
        return words
    }

    /// Tab, newline, carriage return and the Unicode White_Space characters.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar.properties.isWhitespace
    }

    /// General category C* (control, format, private use, surrogate; unassigned never counts),
    /// except tab, newline and carriage return, which count as whitespace.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\t" || scalar == "\n" || scalar == "\r" { return false }
        switch category(scalar) {
        case .control, .format, .privateUse, .surrogate: return true
        default: return false
        }
    }

    /// ASCII 33–47, 58–64, 91–96 and 123–126 (which include symbols such as `$`, `+` and `^`),
    /// and every scalar of general category P*.
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 33...47, 58...64, 91...96, 123...126: return true
        default: break
        }
        switch category(scalar) {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// The CJK Unified Ideographs blocks BERT spaces out (not kana, hangul or CJK punctuation).
    ///
    /// The ranges are those of Hugging Face `tokenizers` (Rust), which model files' tokenizer.json
    /// selects; they start Extension C–F at U+2B920 where Python's BertTokenizer has U+2B820.
    static func isCJKIdeograph(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
            0x2B740...0x2B81F, 0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }
}
