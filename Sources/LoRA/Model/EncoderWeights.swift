/// A linear layer's frozen weight `[out, in]` (row-major, as PyTorch stores it) and bias `[out]`.
struct LinearWeights: Sendable {
    let weight: FloatBuffer
    let bias: FloatBuffer
    let inputSize: Int
    let outputSize: Int
    /// `weightᵀ` as panels for the forward product, when prepared and the CPU runs them.
    let forwardPanels: PackedPanels?
    /// `weight` as panels for the input gradient's product, likewise.
    let backwardPanels: PackedPanels?

    /// The layer as stored, its products on OpenBLAS.
    init(weight: FloatBuffer, bias: FloatBuffer, inputSize: Int, outputSize: Int) {
        (self.weight, self.bias, self.inputSize, self.outputSize) = (weight, bias, inputSize, outputSize)
        (forwardPanels, backwardPanels) = (nil, nil)
    }

    private init(_ layer: LinearWeights, forwardPanels: PackedPanels?, backwardPanels: PackedPanels?) {
        (weight, bias, inputSize, outputSize) = (layer.weight, layer.bias, layer.inputSize, layer.outputSize)
        (self.forwardPanels, self.backwardPanels) = (forwardPanels, backwardPanels)
    }

    /// The same layer with its weight also laid out in panels for both of its products where
    /// this CPU runs them (twice the weight's memory), else unchanged.
    func prepared() -> LinearWeights {
        LinearWeights(
            self,
            forwardPanels: PackedPanels(weight.base, ldb: inputSize, transposed: true, k: inputSize, n: outputSize),
            backwardPanels: PackedPanels(weight.base, ldb: inputSize, transposed: false, k: outputSize, n: inputSize))
    }
}

extension LinearWeights {
    /// `parts` (of one input size) stacked into one layer whose output is theirs side by side,
    /// and each part again, as a view into it.
    static func stacked(_ parts: [LinearWeights]) -> (whole: LinearWeights, parts: [LinearWeights]) {
        let inputSize = parts[0].inputSize
        precondition(parts.allSatisfy { $0.inputSize == inputSize }, "stacked layers take one input size")
        let outputSize = parts.reduce(0) { $0 + $1.outputSize }
        let weight = FloatBuffer(uninitialized: outputSize * inputSize)
        let bias = FloatBuffer(uninitialized: outputSize)
        var views: [LinearWeights] = []
        var row = 0
        for part in parts {
            (weight.base + row * inputSize).update(from: part.weight.base, count: part.outputSize * inputSize)
            (bias.base + row).update(from: part.bias.base, count: part.outputSize)
            views.append(LinearWeights(
                weight: FloatBuffer(viewing: weight, offset: row * inputSize, count: part.outputSize * inputSize),
                bias: FloatBuffer(viewing: bias, offset: row, count: part.outputSize),
                inputSize: inputSize, outputSize: part.outputSize))
            row += part.outputSize
        }
        return (LinearWeights(weight: weight, bias: bias, inputSize: inputSize, outputSize: outputSize), views)
    }
}

/// A LayerNorm's scale and shift.
struct LayerNormWeights: Sendable {
    let gamma: FloatBuffer
    let beta: FloatBuffer
}

/// The frozen weights of one transformer layer.
struct EncoderLayerWeights: Sendable {
    let query: LinearWeights
    let key: LinearWeights
    let value: LinearWeights
    /// Query, key and value stacked, `[3·hidden, hidden]`: one product makes all three. The three
    /// above are views into it (and, unlike it, never multiplied by, so not prepared).
    let queryKeyValue: LinearWeights
    let attentionOutput: LinearWeights
    let attentionNorm: LayerNormWeights
    let intermediate: LinearWeights
    let output: LinearWeights
    let outputNorm: LayerNormWeights

    init(
        query: LinearWeights, key: LinearWeights, value: LinearWeights, attentionOutput: LinearWeights,
        attentionNorm: LayerNormWeights, intermediate: LinearWeights, output: LinearWeights, outputNorm: LayerNormWeights
    ) {
        let (whole, parts) = LinearWeights.stacked([query, key, value])
        queryKeyValue = whole.prepared()
        (self.query, self.key, self.value) = (parts[0], parts[1], parts[2])
        self.attentionOutput = attentionOutput.prepared()
        self.attentionNorm = attentionNorm
        self.intermediate = intermediate.prepared()
        self.output = output.prepared()
        self.outputNorm = outputNorm
    }

    /// The linear layer a target module names.
    func linear(_ module: TargetModule) -> LinearWeights {
        switch module {
        case .query: query
        case .key: key
        case .value: value
        case .attentionOutput: attentionOutput
        case .intermediate: intermediate
        case .output: output
        }
    }
}

/// Every frozen weight of a BERT encoder, converted to Float.
struct EncoderWeights: Sendable {
    let wordEmbeddings: FloatBuffer
    let positionEmbeddings: FloatBuffer
    let tokenTypeEmbeddings: FloatBuffer
    let embeddingNorm: LayerNormWeights
    let layers: [EncoderLayerWeights]

    /// Reads the weights of a model of `config` from a safetensors checkpoint, with or without the `bert.` prefix.
    init(file: SafetensorsFile, config: EncoderConfig) throws(LoRAError) {
        let prefix = file.tensors["bert.embeddings.word_embeddings.weight"] != nil ? "bert." : ""
        let reader = Reader(file: file, prefix: prefix)
        let hidden = config.hiddenSize
        wordEmbeddings = try reader.floats("embeddings.word_embeddings.weight", [config.vocabularySize, hidden])
        positionEmbeddings = try reader.floats("embeddings.position_embeddings.weight", [config.maxPositions, hidden])
        tokenTypeEmbeddings = try reader.floats("embeddings.token_type_embeddings.weight", [config.typeVocabularySize, hidden])
        embeddingNorm = try reader.norm("embeddings.LayerNorm", hidden)
        var layers: [EncoderLayerWeights] = []
        for index in 0..<config.layerCount {
            let name = "encoder.layer.\(index)."
            let inner = config.intermediateSize
            layers.append(EncoderLayerWeights(
                query: try reader.linear(name + TargetModule.query.rawValue, hidden, hidden),
                key: try reader.linear(name + TargetModule.key.rawValue, hidden, hidden),
                value: try reader.linear(name + TargetModule.value.rawValue, hidden, hidden),
                attentionOutput: try reader.linear(name + TargetModule.attentionOutput.rawValue, hidden, hidden),
                attentionNorm: try reader.norm(name + "attention.output.LayerNorm", hidden),
                intermediate: try reader.linear(name + TargetModule.intermediate.rawValue, hidden, inner),
                output: try reader.linear(name + TargetModule.output.rawValue, inner, hidden),
                outputNorm: try reader.norm(name + "output.LayerNorm", hidden)))
        }
        self.layers = layers
    }

    /// Reads named tensors and checks their shapes.
    private struct Reader {
        let file: SafetensorsFile
        let prefix: String

        func floats(_ name: String, _ shape: [Int]) throws(LoRAError) -> FloatBuffer {
            guard let info = file.tensors[prefix + name] else {
                throw .invalidModel(path: file.path, reason: "no tensor \"\(prefix + name)\"")
            }
            guard info.shape == shape else {
                throw .invalidModel(
                    path: file.path, reason: "tensor \"\(prefix + name)\" has shape \(info.shape), config.json implies \(shape)")
            }
            do { return FloatBuffer(try file.floats(prefix + name)) } catch { throw .safetensors(error) }
        }

        func linear(_ name: String, _ input: Int, _ output: Int) throws(LoRAError) -> LinearWeights {
            LinearWeights(
                weight: try floats(name + ".weight", [output, input]), bias: try floats(name + ".bias", [output]),
                inputSize: input, outputSize: output)
        }

        func norm(_ name: String, _ width: Int) throws(LoRAError) -> LayerNormWeights {
            LayerNormWeights(gamma: try floats(name + ".weight", [width]), beta: try floats(name + ".bias", [width]))
        }
    }
}
