import Foundation

/// A WordPiece vocabulary: one token per line of vocab.txt, its id the zero-based line number.
///
/// Tokens are keyed by their Unicode scalars, not by `String`, whose equality is canonical
/// equivalence and would merge tokens that differ only in composition.
struct WordPieceVocabulary: Sendable {
    private let ids: [[Unicode.Scalar]: Int]

    /// The number of lines (ids) in the vocabulary.
    let count: Int

    /// Reads `path`; a later duplicate of a token takes its id, as Hugging Face's loaders do.
    init(path: String) throws(TokenizerError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .cannotRead(file: path, reason: "\(error.localizedDescription)")
        }
        var ids: [[Unicode.Scalar]: Int] = [:]
        var lines = Array(data).split(separator: 0x0A, omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        for (id, var line) in lines.enumerated() {
            if line.last == 0x0D { line.removeLast() }
            guard let token = String(validating: line, as: UTF8.self) else {
                throw .invalidUTF8(file: path, line: id + 1)
            }
            ids[Array(token.unicodeScalars)] = id
        }
        self.ids = ids
        self.count = lines.count
    }

    /// The id of the token spelled by `scalars`, or nil when it is not in the vocabulary.
    func id(of scalars: [Unicode.Scalar]) -> Int? { ids[scalars] }

    /// The id of `token`, compared scalar by scalar.
    func id(of token: String) -> Int? { ids[Array(token.unicodeScalars)] }
}
