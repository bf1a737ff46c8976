import Foundation
import Testing
@testable import LoRA

/// Checks the encoder, its LoRA backward pass and the optimizer against PyTorch + PEFT, as llm.c's
/// test_gpt2 checks against a PyTorch dump: Fixtures/make_model_reference.py wrote a tiny random
/// BERT, a PEFT adapter on all six module kinds, and the float64 embeddings, loss, gradients and
/// two AdamW steps for one batch of 6 pairs.
@Suite("encoder against the PyTorch reference")
struct EncoderReferenceTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    struct Expected: Decodable {
        let texts: [String]
        let loss: Double
        let lossStep2: Double
        let gradNorm: Double
        let gradNormStep2: Double
        let maxLength: Int
        enum CodingKeys: String, CodingKey {
            case texts, loss, maxLength = "max_length", lossStep2 = "loss_step2"
            case gradNorm = "grad_norm", gradNormStep2 = "grad_norm_step2"
        }
    }

    struct Fixture {
        let expected: Expected
        let reference: SafetensorsFile
        let encoder: Encoder
        let tokenizer: WordPieceTokenizer
        let adapter: LoRAAdapter

        init() throws {
            let json = try Data(contentsOf: fixtures.appendingPathComponent("tiny_reference.json"))
            expected = try JSONDecoder().decode(Expected.self, from: json)
            reference = try SafetensorsFile(path: fixtures.appendingPathComponent("tiny_reference.safetensors").path)
            let model = fixtures.appendingPathComponent("tiny-bert").path
            encoder = try Encoder(directory: model)
            tokenizer = try WordPieceTokenizer(vocabPath: model + "/vocab.txt")
            let adapterPath = fixtures.appendingPathComponent("tiny-adapter").path
            adapter = try LoRAAdapter(PEFTAdapter(contentsOf: adapterPath), for: encoder.config, path: adapterPath)
        }

        var encodings: [WordPieceTokenizer.Encoding] { tokenizer.encode(batch: expected.texts, maxLength: expected.maxLength) }
        var batch: TokenBatch { TokenBatch(encodings) }
    }

    static func integers(_ file: SafetensorsFile, _ name: String) throws -> [Int] {
        try file.withBytes(of: name) { bytes in
            stride(from: 0, to: bytes.count, by: 8).map { Int(Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: $0, as: Int64.self))) }
        }
    }

    /// The largest absolute difference, and the largest relative to the reference tensor's largest magnitude.
    static func difference(_ actual: [Float], _ expected: [Float]) -> (absolute: Float, relative: Float) {
        precondition(actual.count == expected.count)
        let absolute = zip(actual, expected).map { abs($0 - $1) }.max() ?? 0
        let scale = expected.map(abs).max() ?? 0
        return (absolute, scale > 0 ? absolute / scale : absolute)
    }

    @Test("the tokenizer gives the reference ids and mask for the tiny vocabulary")
    func tokens() throws {
        let fixture = try Fixture()
        let encodings = fixture.encodings
        #expect(encodings.flatMap(\.ids) == (try Self.integers(fixture.reference, "input_ids")))
        #expect(encodings.flatMap(\.attentionMask) == (try Self.integers(fixture.reference, "attention_mask")))
    }

    @Test("sentence embeddings of the base model match PyTorch within 1e-4")
    func baseEmbeddings() throws {
        let fixture = try Fixture()
        let embeddings = fixture.encoder.embed(fixture.batch).flatMap { $0 }
        let (absolute, _) = Self.difference(embeddings, try fixture.reference.floats("base_embeddings"))
        #expect(absolute < 1e-4)
    }

    @Test("sentence embeddings with a PEFT adapter on all six module kinds match PEFT within 1e-4")
    func adaptedEmbeddings() throws {
        let fixture = try Fixture()
        let embeddings = fixture.encoder.embed(fixture.batch, adapter: fixture.adapter).flatMap { $0 }
        let (absolute, _) = Self.difference(embeddings, try fixture.reference.floats("lora_embeddings"))
        #expect(absolute < 1e-4)
    }

    @Test("the contrastive loss and every LoRA gradient match PyTorch (gradients within 1e-3 relative)")
    func gradients() throws {
        let fixture = try Fixture()
        var adapter = fixture.adapter
        var random = RandomGenerator(seed: 0)
        let result = fixture.encoder.contrastiveStep(fixture.batch, adapter: &adapter, similarityScale: 20, random: &random)
        #expect(abs(Double(result.loss) - fixture.expected.loss) < 1e-4)
        #expect(adapter.parameters.count == 24)
        for parameter in adapter.parameters {
            let (_, relative) = Self.difference(parameter.gradient, try fixture.reference.floats("grad." + parameter.name))
            #expect(relative < 1e-3, "\(parameter.name): gradient differs by \(relative) of its largest magnitude")
        }
    }

    @Test("two steps of gradient clipping and AdamW give PyTorch's weights")
    func optimizerSteps() throws {
        let fixture = try Fixture()
        var adapter = fixture.adapter
        var optimizer = AdamW(weightDecay: 0.01)
        var random = RandomGenerator(seed: 0)
        for (step, expectedNorm) in [(1, fixture.expected.gradNorm), (2, fixture.expected.gradNormStep2)] {
            adapter.zeroGradients()
            let result = fixture.encoder.contrastiveStep(fixture.batch, adapter: &adapter, similarityScale: 20, random: &random)
            if step == 2 { #expect(abs(Double(result.loss) - fixture.expected.lossStep2) < 1e-4) }
            let norm = GradientClipping.clipNorm(&adapter.parameters, maxNorm: 1)
            #expect(abs(norm - expectedNorm) < 1e-3 * expectedNorm)
            optimizer.step(&adapter.parameters, learningRate: 0.01)
            for parameter in adapter.parameters {
                let (absolute, _) = Self.difference(parameter.value, try fixture.reference.floats("step\(step)." + parameter.name))
                #expect(absolute < 1e-5, "step \(step) \(parameter.name): weights differ by \(absolute)")
            }
        }
    }
}

/// Checks the real all-MiniLM-L6-v2 (fetched by scripts/fetch-model.sh, as scripts/test.sh does)
/// against sentence-transformers-style embeddings from PyTorch.
@Suite("all-MiniLM-L6-v2 against the PyTorch reference")
struct MiniLMReferenceTests {
    static let model = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("models/all-MiniLM-L6-v2").path
    static let modelPresent = FileManager.default.fileExists(atPath: model + "/model.safetensors")

    struct Expected: Decodable {
        let sentences: [String]
        let maxLength: Int
        enum CodingKeys: String, CodingKey { case sentences, maxLength = "max_length" }
    }

    @Test("token ids and sentence embeddings of five sentences match within 1e-4", .enabled(if: modelPresent))
    func embeddings() throws {
        let fixtures = EncoderReferenceTests.fixtures
        let expected = try JSONDecoder().decode(
            Expected.self, from: Data(contentsOf: fixtures.appendingPathComponent("minilm_reference.json")))
        let reference = try SafetensorsFile(path: fixtures.appendingPathComponent("minilm_reference.safetensors").path)
        let tokenizer = try WordPieceTokenizer(vocabPath: Self.model + "/vocab.txt")
        let encodings = tokenizer.encode(batch: expected.sentences, maxLength: expected.maxLength)
        #expect(encodings.flatMap(\.ids) == (try EncoderReferenceTests.integers(reference, "input_ids")))
        let batch = TokenBatch(encodings)
        let encoder = try Encoder(directory: Self.model)
        let embeddings = encoder.embed(batch).flatMap { $0 }
        let (absolute, _) = EncoderReferenceTests.difference(embeddings, try reference.floats("embeddings"))
        #expect(absolute < 1e-4, "embeddings differ by \(absolute)")
    }
}
