import Foundation
import Testing
@testable import LoRA

/// Checks the backward pass against finite differences of the loss on random models the test
/// writes itself, for adapter placements the PyTorch fixture does not cover.
@Suite("LoRA gradients against finite differences")
struct GradientCheckTests {
    static let texts = ["the cat sat", "a dog ran on the mat", "cat", "the mat", "dog on mat sat", "ran"]

    /// An adapter at `targets` whose B is random (PEFT's zero B would give A no gradient).
    static func adapter(_ targets: [String], config: EncoderConfig, seed: UInt64) throws -> LoRAAdapter {
        var random = RandomGenerator(seed: seed)
        let sites = try TargetSite.resolve(targets, layerCount: config.layerCount)
        var parameters = LoRAInitialization.parameters(
            sites: sites, rank: 3, hiddenSize: config.hiddenSize, intermediateSize: config.intermediateSize, rng: &random)
        for index in parameters.indices where index % 2 == 1 {
            parameters[index].value = parameters[index].value.map { _ in random.uniform(-0.5, 0.5) }
        }
        return LoRAAdapter(rank: 3, alpha: 6, dropout: 0, sites: sites, parameters: parameters)
    }

    @Test("analytic gradients match central differences", arguments: [
        ["query", "value"],
        ["layer.2.output.dense"],
        ["layer.1.attention.output.dense", "layer.2.intermediate.dense"],
        ["key"],
    ])
    func gradients(targets: [String]) throws {
        let directory = TemporaryDirectory()
        let model = try TinyModel(in: directory)
        let encoder = try Encoder(directory: model.directory)
        let tokenizer = try WordPieceTokenizer(vocabPath: model.directory + "/vocab.txt")
        let batch = TokenBatch(tokenizer.encode(batch: Self.texts, maxLength: 16))
        var adapter = try Self.adapter(targets, config: model.config, seed: 9)
        var random = RandomGenerator(seed: 1)
        _ = encoder.contrastiveStep(batch, adapter: &adapter, similarityScale: 5, random: &random)

        var probe = RandomGenerator(seed: 2)
        for (index, parameter) in adapter.parameters.enumerated() {
            for _ in 0..<3 {
                let element = probe.nextInt(below: parameter.value.count)
                let step: Float = 1e-2
                var plus = adapter, minus = adapter
                plus.parameters[index].value[element] += step
                minus.parameters[index].value[element] -= step
                let numeric = (encoder.contrastiveLoss(batch, adapter: plus, similarityScale: 5).loss
                    - encoder.contrastiveLoss(batch, adapter: minus, similarityScale: 5).loss) / (2 * step)
                let analytic = parameter.gradient[element]
                #expect(abs(numeric - analytic) <= 2e-3 + 0.05 * abs(analytic),
                        "\(parameter.name)[\(element)]: analytic \(analytic), numeric \(numeric)")
            }
        }
    }

    @Test("with dropout, the gradient is the gradient of the loss under the same masks")
    func dropoutMasks() throws {
        let directory = TemporaryDirectory()
        let model = try TinyModel(in: directory, layers: 2)
        let encoder = try Encoder(directory: model.directory)
        let tokenizer = try WordPieceTokenizer(vocabPath: model.directory + "/vocab.txt")
        let batch = TokenBatch(tokenizer.encode(batch: Self.texts, maxLength: 16))
        let base = try Self.adapter(["value", "intermediate.dense"], config: model.config, seed: 4)
        let adapter = LoRAAdapter(rank: base.rank, alpha: base.alpha, dropout: 0.3, sites: base.sites, parameters: base.parameters)

        // The same random state draws the same masks, so the loss is a deterministic function of the weights.
        func loss(_ candidate: LoRAAdapter) -> Float {
            var copy = candidate
            var random = RandomGenerator(seed: 8)
            return encoder.contrastiveStep(batch, adapter: &copy, similarityScale: 5, random: &random).loss
        }
        var trained = adapter
        var random = RandomGenerator(seed: 8)
        _ = encoder.contrastiveStep(batch, adapter: &trained, similarityScale: 5, random: &random)
        #expect(loss(adapter) != encoder.contrastiveLoss(batch, adapter: adapter, similarityScale: 5).loss)
        for index in trained.parameters.indices {
            let element = trained.parameters[index].value.count / 2
            var plus = adapter, minus = adapter
            plus.parameters[index].value[element] += 1e-2
            minus.parameters[index].value[element] -= 1e-2
            let numeric = (loss(plus) - loss(minus)) / 2e-2
            let analytic = trained.parameters[index].gradient[element]
            #expect(abs(numeric - analytic) <= 2e-3 + 0.05 * abs(analytic),
                    "\(trained.parameters[index].name): analytic \(analytic), numeric \(numeric)")
        }
    }

    @Test("the encoder refuses a model whose tensor shape disagrees with config.json, naming the tensor")
    func wrongShape() throws {
        let directory = TemporaryDirectory()
        let model = try TinyModel(in: directory)
        let path = model.directory + "/config.json"
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "\"intermediate_size\": 24", with: "\"intermediate_size\": 20")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        #expect {
            _ = try Encoder(directory: model.directory)
        } throws: { error in
            "\(error)".contains("encoder.layer.0.intermediate.dense.weight\" has shape [24, 16], config.json implies [20, 16]")
        }
    }
}
