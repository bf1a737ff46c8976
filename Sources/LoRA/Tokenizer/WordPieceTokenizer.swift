/// The BERT uncased WordPiece tokenizer (as all-MiniLM-L6-v2's tokenizer.json configures it),
/// producing the same ids as Hugging Face `tokenizers`.
public struct WordPieceTokenizer: Sendable {
    /// Words longer than this many Unicode scalars become a single [UNK].
    public static let maxCharactersPerWord = 100
    /// The prefix of a token that continues a word.
    static let continuationPrefix: [Unicode.Scalar] = ["#", "#"]

    private let vocabulary: WordPieceVocabulary
    /// The id of [CLS], which starts every encoding.
    public let classifierID: Int
    /// The id of [SEP], which ends every encoding.
    public let separatorID: Int
    /// The id of [UNK], which stands for a word the vocabulary cannot spell.
    public let unknownID: Int
    /// The id of [PAD], which fills encodings out to a common length.
    public let paddingID: Int
    /// The special tokens in the vocabulary, which encode as themselves when written in the text.
    private let specials: [(scalars: [Unicode.Scalar], id: Int)]

    /// Loads a vocab.txt: one token per line, each token's id its zero-based line number.
    public init(vocabPath: String) throws(TokenizerError) {
        let vocabulary = try WordPieceVocabulary(path: vocabPath)
        func id(_ token: String) throws(TokenizerError) -> Int {
            guard let id = vocabulary.id(of: token) else { throw .missingSpecialToken(file: vocabPath, token: token) }
            return id
        }
        classifierID = try id("[CLS]")
        separatorID = try id("[SEP]")
        unknownID = try id("[UNK]")
        paddingID = try id("[PAD]")
        specials = Self.specialTokens.compactMap { token in
            vocabulary.id(of: token).map { (Array(token.unicodeScalars), $0) }
        }
        self.vocabulary = vocabulary
    }

    /// The number of ids in the vocabulary.
    public var vocabularySize: Int { vocabulary.count }

    /// The ids of `text` between [CLS] and [SEP], truncated to `maxLength` ids (at least 2) with
    /// [SEP] kept last; not padded.
    public func encode(_ text: String, maxLength: Int) -> Encoding {
        precondition(maxLength >= 2, "maxLength \(maxLength) leaves no room for [CLS] and [SEP]")
        let ids = [classifierID] + tokenIDs(text).prefix(maxLength - 2) + [separatorID]
        return Encoding(ids: ids, attentionMask: Array(repeating: 1, count: ids.count))
    }

    /// Encodes each text as `encode(_:maxLength:)` does, then pads with [PAD] (mask 0) to the
    /// longest encoding of the batch, or to `maxLength` when `padToLongest` is false.
    public func encode(batch texts: [String], maxLength: Int, padToLongest: Bool = true) -> [Encoding] {
        let encodings = texts.map { encode($0, maxLength: maxLength) }
        let length = padToLongest ? encodings.map(\.ids.count).max() ?? 0 : maxLength
        return encodings.map { $0.padded(to: length, with: paddingID) }
    }

    /// The WordPiece ids of `text`, without the added [CLS] and [SEP]; special tokens written
    /// in the text (such as "[MASK]") encode as their own ids.
    func tokenIDs(_ text: String) -> [Int] {
        Self.segments(of: text, specials: specials).flatMap { segment in
            switch segment {
            case let .text(text): BasicTokenizer.words(in: text).flatMap(wordPieceIDs)
            case let .special(id): [id]
            }
        }
    }

    /// Greedy longest-match-first pieces of one word, or [UNK] alone when the word is too long
    /// or some part of it matches no token.
    func wordPieceIDs(_ word: [Unicode.Scalar]) -> [Int] {
        if word.count > Self.maxCharactersPerWord { return [unknownID] }
        var ids: [Int] = []
        var start = 0
        while start < word.count {
            var end = word.count
            var match: Int?
            while end > start {
                let piece = start == 0 ? Array(word[start..<end]) : Self.continuationPrefix + word[start..<end]
                if let id = vocabulary.id(of: piece) {
                    match = id
                    break
                }
                end -= 1
            }
            guard let match else { return [unknownID] }
            ids.append(match)
            start = end
        }
        return ids
    }
}
