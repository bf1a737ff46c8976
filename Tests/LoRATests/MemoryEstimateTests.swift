import Foundation
import Testing
import LoRA

@Suite("Memory estimate")
struct MemoryEstimateTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// Fixtures/tiny-bert: vocab 123, hidden 32, 2 layers, 4 heads, intermediate 64, 64 positions, 2 types.
    static func tiny() throws -> EncoderConfig {
        try EncoderConfig(contentsOf: fixtures.appendingPathComponent("tiny-bert/config.json").path)
    }

    static let queryAndValue = (0..<2).flatMap { [TargetSite(layer: $0, module: .query), TargetSite(layer: $0, module: .value)] }

    @Test("the parameter count matches the tensors of the model files, pooler excluded")
    func parameterCount() throws {
        // Summed over the shapes in Fixtures/tiny-bert/model.safetensors and all-MiniLM-L6-v2's, without pooler.* and the
        // int64 embeddings.position_ids buffer.
        #expect(MemoryEstimate.parameterCount(try Self.tiny()) == 23_200)
        let miniLM = EncoderConfig(
            vocabularySize: 30_522, hiddenSize: 384, layerCount: 6, headCount: 12, intermediateSize: 1_536, maxPositions: 512)
        #expect(MemoryEstimate.parameterCount(miniLM) == 22_565_376)
    }

    @Test("a training step of the tiny model matches the estimate worked by hand")
    func trainingByHand() throws {
        let estimate = MemoryEstimate.training(
            try Self.tiny(), pairs: 2, sequenceLength: 8, rank: 4, sites: Self.queryAndValue, hasDropout: true)
        // N = 4 sequences × 8 = 32 rows.
        #expect(estimate.weightBytes == 4 * 23_200)
        // Embeddings 32·32; per layer 8·32·32 + 2·32·64 + 4·4·8² + 2·32 = 13,376, twice;
        // 4 sites of 32·4 + 2·32·32 (dropout) = 2,176 each.
        #expect(estimate.activationBytes == 4 * (1_024 + 2 * 13_376 + 4 * 2_176))
        // 4·32·32 + 32·64 + 8².
        #expect(estimate.backwardBytes == 4 * 6_208)
        // 4 sites of 4·(32 + 32) floats, each kept as value, gradient, m and v.
        #expect(estimate.adapterBytes == 4 * 4 * 1_024)
        #expect(estimate.overheadBytes == 60 * 1_048_576)
        // Where the panel kernel runs, per layer 32·96 + 32·32 + 32·64 + 64·32 floats, for 2 layers.
        #expect(estimate.panelBytes == (frozenProductKernel() == "panels" ? 4 * 16_384 : 0))
        #expect(estimate.peakBytes == 63_194_496 + estimate.panelBytes)
    }

    @Test("without dropout the adapters keep no copy of their input")
    func trainingWithoutDropout() throws {
        let config = try Self.tiny()
        let with = MemoryEstimate.training(config, pairs: 2, sequenceLength: 8, rank: 4, sites: Self.queryAndValue, hasDropout: true)
        let without = MemoryEstimate.training(config, pairs: 2, sequenceLength: 8, rank: 4, sites: Self.queryAndValue, hasDropout: false)
        #expect(with.activationBytes - without.activationBytes == 4 * 4 * 2 * 32 * 32)
    }

    @Test("an adapter on output.dense counts its intermediate-wide input")
    func outputDenseWidths() throws {
        let estimate = MemoryEstimate.training(
            try Self.tiny(), pairs: 1, sequenceLength: 4, rank: 2, sites: [TargetSite(layer: 1, module: .output)], hasDropout: true)
        // N = 8; per layer 8·8·32 + 2·8·64 + 2·4·16 + 16 = 3,216; the site 8·2 + 2·8·64.
        #expect(estimate.activationBytes == 4 * (8 * 32 + 2 * 3_216 + 16 + 1_024))
        #expect(estimate.adapterBytes == 4 * 4 * 2 * (64 + 32))
    }

    @Test("embedding needs no backward buffers or optimiser state")
    func embeddingByHand() throws {
        let estimate = MemoryEstimate.embedding(try Self.tiny(), batchSize: 3, sequenceLength: 10)
        // N = 30; per layer 8·30·32 + 2·30·64 + 3·4·10² + 2·30 = 12,780.
        #expect(estimate.activationBytes == 4 * (30 * 32 + 2 * 12_780))
        #expect(estimate.backwardBytes == 0)
        #expect(estimate.adapterBytes == 0)
        #expect(estimate.peakBytes == 4 * 23_200 + estimate.panelBytes + 4 * 26_520 + 60 * 1_048_576)
    }

    @Test("the estimate grows with batch, length and rank")
    func monotonic() throws {
        let config = try Self.tiny()
        func peak(_ pairs: Int, _ length: Int, _ rank: Int) -> Int {
            MemoryEstimate.training(config, pairs: pairs, sequenceLength: length, rank: rank, sites: Self.queryAndValue, hasDropout: true)
                .peakBytes
        }
        #expect(peak(4, 32, 8) > peak(2, 32, 8))
        #expect(peak(2, 64, 8) > peak(2, 32, 8))
        #expect(peak(2, 32, 16) > peak(2, 32, 8))
    }
}

@Suite("Training recommendation")
struct RecommendationTests {
    static let miniLM = EncoderConfig(
        vocabularySize: 30_522, hiddenSize: 384, layerCount: 6, headCount: 12, intermediateSize: 1_536, maxPositions: 512)
    static let sites = (0..<6).flatMap { [TargetSite(layer: $0, module: .query), TargetSite(layer: $0, module: .value)] }
    static let mebibyte = 1_048_576

    static func recommend(_ budget: Int, _ config: EncoderConfig = miniLM) -> MemoryEstimate.Recommendation {
        MemoryEstimate.recommend(config, budgetBytes: budget, sites: sites, hasDropout: true)
    }

    static func peak(_ pairs: Int, _ length: Int, _ rank: Int, _ config: EncoderConfig = miniLM) -> Int {
        MemoryEstimate.training(config, pairs: pairs, sequenceLength: length, rank: rank, sites: sites, hasDropout: true).peakBytes
    }

    @Test("the largest batch at 128 tokens that fits in 80% of the budget is chosen, at rank 8")
    func largestBatch() {
        // A budget just big enough, with the margin, for 16 pairs but not 32.
        let budget = Int((Double(Self.peak(16, 128, 8)) / 0.8).rounded(.up))
        guard case let .fits(settings) = Self.recommend(budget) else { Issue.record("nothing fits"); return }
        #expect((settings.batchSize, settings.maxSeqLength, settings.loraRank) == (16, 128, 8))
        #expect(settings.estimate.peakBytes <= budget * 4 / 5)
        #expect(Self.peak(32, 128, 8) > budget * 4 / 5)
    }

    @Test("a budget four times what rank 8 needs gets rank 16")
    func ampleBudget() {
        let budget = 5 * Self.peak(64, 128, 8)
        guard case let .fits(settings) = Self.recommend(budget) else { Issue.record("nothing fits"); return }
        #expect((settings.batchSize, settings.maxSeqLength, settings.loraRank) == (64, 128, 16))
    }

    @Test("when 2 pairs of 128 tokens do not fit, shorter sequences are tried")
    func shorterSequences() {
        let budget = Int((Double(Self.peak(4, 64, 8)) / 0.8).rounded(.up))
        #expect(Self.peak(2, 128, 8) > budget * 4 / 5)
        guard case let .fits(settings) = Self.recommend(budget) else { Issue.record("nothing fits"); return }
        #expect((settings.batchSize, settings.maxSeqLength) == (4, 64))
    }

    @Test("a budget too small for anything reports the smallest need: 2 pairs of 32 tokens")
    func tooSmall() {
        guard case let .tooSmall(smallest) = Self.recommend(50 * Self.mebibyte) else { Issue.record("something fits"); return }
        #expect((smallest.batchSize, smallest.maxSeqLength, smallest.loraRank) == (2, 32, 8))
        #expect(smallest.estimate.peakBytes == Self.peak(2, 32, 8))
    }

    @Test("sequences are capped at the model's max positions")
    func cappedLength() throws {
        let tiny = EncoderConfig(
            vocabularySize: 123, hiddenSize: 32, layerCount: 2, headCount: 4, intermediateSize: 64, maxPositions: 64)
        guard case let .fits(settings) = MemoryEstimate.recommend(
            tiny, budgetBytes: 100 * Self.mebibyte, sites: MemoryEstimateTests.queryAndValue, hasDropout: true)
        else { Issue.record("nothing fits"); return }
        #expect(settings.maxSeqLength == 64)
    }
}
