import Foundation
import Testing
@testable import LoRA

/// Embedding many texts at once (packed passes, side by side on the workers) gives each
/// text the embedding it gets alone, in the caller's order.
@Suite("batch embedding", .serialized)
struct BatchEmbeddingTests {
    static let texts = [
        "the cat sat", "a dog ran on the mat", "cat", "the dog sat on the mat", "ran", "the cat ran on a dog",
        "mat", "on the cat", "dog dog dog", "the", "a cat sat on the dog mat", "sat on",
    ]

    @Test("passes side by side on two threads equal one text at a time on one", arguments: [1, 2, 5, 12])
    func matchesSingleTexts(batchSize: Int) throws {
        let directory = TemporaryDirectory()
        let model = try TinyModel(in: directory)
        let encoder = try Encoder(directory: model.directory)
        let tokenizer = try WordPieceTokenizer(vocabPath: model.directory + "/vocab.txt")
        let encodings = Self.texts.map { tokenizer.encode($0, maxLength: 16) }
        let alone = withComputeThreads(1) {
            encodings.map { encoder.embed([$0], batchSize: 1)[0] }
        }
        let together = withComputeThreads(2) {
            encoder.embed(encodings, batchSize: batchSize)
        }
        #expect(together.count == alone.count)
        for (index, (a, b)) in zip(alone, together).enumerated() {
            #expect(a.count == 16 && b.count == 16)
            let difference = zip(a, b).map { abs($0 - $1) }.max() ?? .infinity
            #expect(difference < 1e-5, "text \(index) \"\(Self.texts[index])\": \(difference)")
        }
    }
}
