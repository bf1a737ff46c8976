/// A vocabulary file that cannot be loaded into a tokenizer, with the file and what is wrong.
public enum TokenizerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The vocabulary file could not be read.
    case cannotRead(file: String, reason: String)
    /// A line of the vocabulary is not valid UTF-8 (lines count from 1).
    case invalidUTF8(file: String, line: Int)
    /// A special token the tokenizer needs ([CLS], [SEP], [UNK] or [PAD]) is not in the vocabulary.
    case missingSpecialToken(file: String, token: String)

    public var description: String {
        switch self {
        case let .cannotRead(file, reason):
            "\(file): cannot read vocabulary: \(reason)"
        case let .invalidUTF8(file, line):
            "\(file):\(line): vocabulary line is not valid UTF-8"
        case let .missingSpecialToken(file, token):
            "\(file): vocabulary has no \(token) token"
        }
    }
}
