import Foundation
import Testing
@testable import LoRA

/// A packed batch split into shards of whole sequences, one per thread: the split itself, and a
/// training step on two threads giving what it gives on one, dropout masks included.
@Suite("sharded training steps", .serialized)
struct ShardedStepTests {
    static let texts = [
        "the cat sat on the mat", "a dog", "the dog ran on the mat and sat", "cat", "dog on mat", "the cat ran",
        "a cat sat on a dog on the mat", "ran",
    ]

    @Test("shards cover the sequences in order, none empty, with about equal tokens")
    func shards() throws {
        let directory = TemporaryDirectory()
        let model = try TinyModel(in: directory)
        let tokenizer = try WordPieceTokenizer(vocabPath: model.directory + "/vocab.txt")
        let batch = TokenBatch(tokenizer.encode(batch: Self.texts, maxLength: 16))
        for count in 1...10 {
            let shards = batch.shards(count)
            #expect(shards.count == min(count, batch.count))
            #expect(shards.map(\.sequences.lowerBound) == [0] + shards.dropLast().map(\.sequences.upperBound))
            #expect(shards.last?.sequences.upperBound == batch.count)
            #expect(shards.allSatisfy { !$0.sequences.isEmpty })
            for shard in shards {
                #expect(shard.batch.lengths == Array(batch.lengths[shard.sequences]))
                #expect(shard.firstRow == batch.offsets[shard.sequences.lowerBound])
                #expect(shard.batch.ids == Array(batch.ids[shard.firstRow..<(shard.firstRow + shard.batch.tokenCount)]))
            }
        }
        // Two shards of a batch of equal sequences split it in half.
        let equal = TokenBatch(Array(repeating: tokenizer.encode("the cat sat", maxLength: 16), count: 8))
        #expect(equal.shards(2).map(\.sequences) == [0..<4, 4..<8])
    }

    @Test("a step on two threads equals a step on one: loss, dropout masks and gradients")
    func twoThreadsEqualOne() throws {
        let directory = TemporaryDirectory()
        let model = try TinyModel(in: directory)
        let encoder = try Encoder(directory: model.directory)
        let tokenizer = try WordPieceTokenizer(vocabPath: model.directory + "/vocab.txt")
        let batch = TokenBatch(tokenizer.encode(batch: Self.texts, maxLength: 16))
        let base = try GradientCheckTests.adapter(["query", "value", "output.dense"], config: model.config, seed: 5)
        let adapter = LoRAAdapter(rank: base.rank, alpha: base.alpha, dropout: 0.25, sites: base.sites, parameters: base.parameters)

        func step(threads: Int) -> (ContrastiveResult, LoRAAdapter) {
            var trained = adapter
            var random = RandomGenerator(seed: 11)
            let result = withComputeThreads(threads) {
                encoder.contrastiveStep(batch, adapter: &trained, similarityScale: 5, random: &random)
            }
            return (result, trained)
        }
        let (one, alone) = step(threads: 1)
        let (two, split) = step(threads: 2)
        #expect(abs(one.loss - two.loss) < 1e-6)
        #expect(one.correct == two.correct && one.tokens == two.tokens)
        for (a, b) in zip(alone.parameters, split.parameters) {
            let scale = a.gradient.map(abs).max() ?? 0
            #expect(scale > 0, "\(a.name) has a gradient")
            let difference = zip(a.gradient, b.gradient).map { abs($0 - $1) }.max() ?? .infinity
            #expect(difference <= 1e-5 * max(scale, 1), "\(a.name): \(difference)")
        }
        // Without dropout the loss differs: the masks were really drawn.
        #expect(one.loss != encoder.contrastiveLoss(batch, adapter: adapter, similarityScale: 5).loss)
    }
}
