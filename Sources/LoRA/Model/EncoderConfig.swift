import Foundation

/// The sizes of a BERT-family encoder, read from its `config.json`.
public struct EncoderConfig: Sendable, Equatable {
    /// Number of token ids in the vocabulary.
    public var vocabularySize: Int
    /// Width of every hidden state.
    public var hiddenSize: Int
    /// Number of transformer layers.
    public var layerCount: Int
    /// Number of attention heads per layer.
    public var headCount: Int
    /// Width of the feed-forward layer.
    public var intermediateSize: Int
    /// Longest sequence the position embeddings cover.
    public var maxPositions: Int
    /// Number of token type (segment) ids.
    public var typeVocabularySize: Int
    /// Epsilon of every LayerNorm.
    public var layerNormEpsilon: Float

    /// Width of one attention head.
    public var headSize: Int { hiddenSize / headCount }

    /// An encoder of the given sizes.
    public init(
        vocabularySize: Int, hiddenSize: Int, layerCount: Int, headCount: Int, intermediateSize: Int,
        maxPositions: Int, typeVocabularySize: Int = 2, layerNormEpsilon: Float = 1e-12
    ) {
        self.vocabularySize = vocabularySize
        self.hiddenSize = hiddenSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.intermediateSize = intermediateSize
        self.maxPositions = maxPositions
        self.typeVocabularySize = typeVocabularySize
        self.layerNormEpsilon = layerNormEpsilon
    }

    /// Reads `config.json` as transformers writes it for BERT; other architectures are refused.
    public init(contentsOf path: String) throws(LoRAError) {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .cannotRead(path: path, reason: (error as NSError).localizedDescription)
        }
        let file: ConfigFile
        do { file = try JSONDecoder().decode(ConfigFile.self, from: data) } catch {
            throw .invalidModel(path: path, reason: "config.json: \(Self.describe(error))")
        }
        if let type = file.model_type, type != "bert" {
            throw .invalidModel(path: path, reason: "model_type \"\(type)\" is not supported (bert; RoBERTa offsets its positions differently)")
        }
        if let activation = file.hidden_act, activation != "gelu" {
            throw .invalidModel(path: path, reason: "hidden_act \"\(activation)\" is not supported (gelu)")
        }
        self.init(
            vocabularySize: file.vocab_size, hiddenSize: file.hidden_size, layerCount: file.num_hidden_layers,
            headCount: file.num_attention_heads, intermediateSize: file.intermediate_size,
            maxPositions: file.max_position_embeddings, typeVocabularySize: file.type_vocab_size ?? 2,
            layerNormEpsilon: file.layer_norm_eps ?? 1e-12)
        let sizes = [vocabularySize, hiddenSize, layerCount, headCount, intermediateSize, maxPositions]
        guard sizes.allSatisfy({ $0 > 0 }), hiddenSize % headCount == 0 else {
            throw .invalidModel(
                path: path, reason: "sizes must be positive and hidden_size a multiple of num_attention_heads")
        }
    }

    private static func describe(_ error: any Error) -> String {
        switch error as? DecodingError {
        case let .keyNotFound(key, _): "missing key \"\(key.stringValue)\""
        case let .typeMismatch(_, context), let .valueNotFound(_, context), let .dataCorrupted(context):
            (context.codingPath.last.map { "\"\($0.stringValue)\": " } ?? "") + context.debugDescription
        default: "\(error)"
        }
    }

    private struct ConfigFile: Decodable {
        let vocab_size: Int
        let hidden_size: Int
        let num_hidden_layers: Int
        let num_attention_heads: Int
        let intermediate_size: Int
        let max_position_embeddings: Int
        let type_vocab_size: Int?
        let layer_norm_eps: Float?
        let hidden_act: String?
        let model_type: String?
    }
}
