import Foundation
@testable import LoRA

/// A small random BERT that a test writes for itself: config.json, model.safetensors and a vocab.txt.
struct TinyModel {
    let config: EncoderConfig
    let directory: String

    /// Writes a random model of `layers` layers (hidden 16, 2 heads, intermediate 24) into `directory`.
    init(in directory: TemporaryDirectory, layers: Int = 3, seed: UInt64 = 5) throws {
        let words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + "abcdefghijklmnopqrstuvwxyz".map(String.init)
            + "abcdefghijklmnopqrstuvwxyz".map { "##\($0)" } + ["the", "cat", "dog", "sat", "ran", "on", "mat"]
        config = EncoderConfig(
            vocabularySize: words.count, hiddenSize: 16, layerCount: layers, headCount: 2, intermediateSize: 24,
            maxPositions: 32)
        self.directory = directory.path + "/tiny-model"
        try FileManager.default.createDirectory(atPath: self.directory, withIntermediateDirectories: true)
        try (words.joined(separator: "\n") + "\n").write(toFile: self.directory + "/vocab.txt", atomically: true, encoding: .utf8)
        try """
            {"model_type": "bert", "hidden_act": "gelu", "vocab_size": \(words.count), "hidden_size": 16,
             "num_hidden_layers": \(layers), "num_attention_heads": 2, "intermediate_size": 24,
             "max_position_embeddings": 32, "type_vocab_size": 2, "layer_norm_eps": 1e-12}
            """.write(toFile: self.directory + "/config.json", atomically: true, encoding: .utf8)

        var random = RandomGenerator(seed: seed)
        var tensors: [String: Tensor] = [:]
        func add(_ name: String, _ shape: [Int], around center: Float = 0, spread: Float = 0.3) {
            let count = shape.reduce(1, *)
            tensors[name] = Tensor((0..<count).map { _ in center + random.uniform(-spread, spread) }, shape: shape)
        }
        let (hidden, inner) = (16, 24)
        add("embeddings.word_embeddings.weight", [words.count, hidden], spread: 1)
        add("embeddings.position_embeddings.weight", [32, hidden], spread: 0.5)
        add("embeddings.token_type_embeddings.weight", [2, hidden], spread: 0.5)
        add("embeddings.LayerNorm.weight", [hidden], around: 1, spread: 0.2)
        add("embeddings.LayerNorm.bias", [hidden], spread: 0.1)
        for layer in 0..<layers {
            let prefix = "encoder.layer.\(layer)."
            for module in TargetModule.allCases {
                let (inputs, outputs) = module.features(hiddenSize: hidden, intermediateSize: inner)
                add(prefix + module.rawValue + ".weight", [outputs, inputs], spread: 0.5)
                add(prefix + module.rawValue + ".bias", [outputs], spread: 0.1)
            }
            for norm in ["attention.output.LayerNorm", "output.LayerNorm"] {
                add(prefix + norm + ".weight", [hidden], around: 1, spread: 0.2)
                add(prefix + norm + ".bias", [hidden], spread: 0.1)
            }
        }
        try SafetensorsWriter.write(tensors, to: self.directory + "/model.safetensors")
    }
}
