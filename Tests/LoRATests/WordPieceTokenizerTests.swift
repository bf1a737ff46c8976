import Foundation
import Testing
@testable import LoRA

/// Checks the tokenizer against ids from Hugging Face `tokenizers` for all-MiniLM-L6-v2's vocabulary
/// (Fixtures/make_tokenizer_reference.py writes tokenizer_reference.json; vocab.txt is the model's).
@Suite("WordPiece tokenizer")
struct WordPieceTokenizerTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let vocabPath = fixtures.appendingPathComponent("vocab.txt").path

    struct Reference: Decodable {
        struct Case: Decodable, Sendable, CustomTestStringConvertible {
            let text: String
            let ids: [Int]
            var testDescription: String { text.debugDescription }
        }
        struct Truncated: Decodable, Sendable {
            let text: String
            let maxLength: Int
            let ids: [Int]
            enum CodingKeys: String, CodingKey { case text, ids, maxLength = "max_length" }
        }
        let cases: [Case]
        let truncated: [Truncated]
    }

    static let reference: Reference = {
        do {
            let data = try Data(contentsOf: fixtures.appendingPathComponent("tokenizer_reference.json"))
            return try JSONDecoder().decode(Reference.self, from: data)
        } catch {
            fatalError("cannot read tokenizer_reference.json: \(error)")
        }
    }()

    static func tokenizer() throws -> WordPieceTokenizer { try WordPieceTokenizer(vocabPath: vocabPath) }

    @Test("every reference sentence encodes to the same ids as Hugging Face tokenizers", arguments: reference.cases)
    func matchesReference(_ reference: Reference.Case) throws {
        let encoding = try Self.tokenizer().encode(reference.text, maxLength: 512)
        #expect(encoding.ids == reference.ids)
        #expect(encoding.attentionMask == Array(repeating: 1, count: reference.ids.count))
    }

    @Test("the reference covers the corpus the script promises")
    func referenceIsComplete() {
        #expect(Self.reference.cases.count >= 60)
        #expect(Self.reference.truncated.count >= 5)
    }

    @Test("truncation to maxLength matches Hugging Face and keeps [SEP] last")
    func truncationMatchesReference() throws {
        let tokenizer = try Self.tokenizer()
        for reference in Self.reference.truncated {
            let encoding = tokenizer.encode(reference.text, maxLength: reference.maxLength)
            #expect(encoding.ids == reference.ids, "\(reference.text) at \(reference.maxLength)")
            #expect(encoding.ids.count <= reference.maxLength)
            #expect(encoding.ids.first == tokenizer.classifierID)
            #expect(encoding.ids.last == tokenizer.separatorID)
        }
    }

    @Test("a batch padded to its longest text fills with [PAD] = 0 and mask 0")
    func batchPadsToLongest() throws {
        let tokenizer = try Self.tokenizer()
        let texts = ["Hello, world!", "The quick brown fox jumps over the lazy dog.", ""]
        let encodings = tokenizer.encode(batch: texts, maxLength: 128)
        #expect(tokenizer.paddingID == 0)
        #expect(encodings.map(\.ids.count) == [12, 12, 12])
        for (text, encoding) in zip(texts, encodings) {
            let unpadded = tokenizer.encode(text, maxLength: 128)
            let padding = 12 - unpadded.ids.count
            #expect(encoding.ids == unpadded.ids + Array(repeating: 0, count: padding))
            #expect(encoding.attentionMask == Array(repeating: 1, count: unpadded.ids.count) + Array(repeating: 0, count: padding))
        }
    }

    @Test("a batch padded to maxLength truncates long texts and pads short ones to exactly maxLength")
    func batchPadsToMaxLength() throws {
        let tokenizer = try Self.tokenizer()
        let encodings = tokenizer.encode(batch: ["Hello", "The quick brown fox jumps over the lazy dog."], maxLength: 8, padToLongest: false)
        #expect(encodings.map(\.ids.count) == [8, 8])
        #expect(encodings[0].ids == [101, 7592, 102, 0, 0, 0, 0, 0])
        #expect(encodings[0].attentionMask == [1, 1, 1, 0, 0, 0, 0, 0])
        #expect(encodings[1].ids.last == tokenizer.separatorID)
        #expect(encodings[1].attentionMask == Array(repeating: 1, count: 8))
    }

    @Test("a word longer than 100 characters becomes a single [UNK], one of 100 does not")
    func overlongWordIsUnknown() throws {
        let tokenizer = try Self.tokenizer()
        #expect(tokenizer.encode(String(repeating: "a", count: 101), maxLength: 512).ids == [101, tokenizer.unknownID, 102])
        #expect(tokenizer.encode("é" + String(repeating: "b", count: 100), maxLength: 512).ids == [101, tokenizer.unknownID, 102])
        let hundred = tokenizer.encode(String(repeating: "ab", count: 50), maxLength: 512).ids
        #expect(hundred.count > 3)
        #expect(!hundred.contains(tokenizer.unknownID))
    }

    @Test("decomposed and precomposed accents encode alike")
    func accentsNormalize() throws {
        let tokenizer = try Self.tokenizer()
        #expect(tokenizer.encode("cafe\u{301}", maxLength: 16) == tokenizer.encode("caf\u{E9}", maxLength: 16))
        #expect(tokenizer.encode("caf\u{E9}", maxLength: 16) == tokenizer.encode("cafe", maxLength: 16))
    }

    @Test("a vocabulary without [UNK] is refused with the file named")
    func missingSpecialTokenIsRefused() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("vocab.txt", bytes: Array("[PAD]\n[CLS]\n[SEP]\nhello\n".utf8))
        #expect(throws: TokenizerError.missingSpecialToken(file: path, token: "[UNK]")) {
            try WordPieceTokenizer(vocabPath: path)
        }
        #expect(throws: TokenizerError.self) { try WordPieceTokenizer(vocabPath: directory.path + "/absent.txt") }
    }

    @Test("vocabulary tokens that differ only in composition keep their own ids")
    func vocabularyKeysByScalars() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("vocab.txt", bytes: Array("[PAD]\n[UNK]\n[CLS]\n[SEP]\n\u{E9}\ne\u{301}\r\n".utf8))
        let vocabulary = try WordPieceVocabulary(path: path)
        #expect(vocabulary.count == 6)
        #expect(vocabulary.id(of: "\u{E9}") == 4)
        #expect(vocabulary.id(of: "e\u{301}") == 5)
    }
}
