/// A linear layer's frozen weight `[out, in]` (row-major, as PyTorch stores it) and bias `[out]`.
struct LinearWeights: Sendable {
    /// The weight as stored; nil once both products have panels, which hold all of it.
    let weight: FloatBuffer?
    let bias: FloatBuffer
    let inputSize: Int
    let outputSize: Int
    /// `weightᵀ` as panels for the forward product `x · Wᵀ`, when prepared on a CPU that runs
    /// `PanelGemm` and the output width is whole panels.
    let forwardPanels: PackedPanels?
    /// `weight` as panels for the input gradient `dy · W`, likewise for the input width.
    let backwardPanels: PackedPanels?

    /// The layer as stored, its products on OpenBLAS.
    init(weight: FloatBuffer, bias: FloatBuffer, inputSize: Int, outputSize: Int) {
        (self.weight, self.bias, self.inputSize, self.outputSize) = (weight, bias, inputSize, outputSize)
        (forwardPanels, backwardPanels) = (nil, nil)
    }

    private init(_ layer: LinearWeights, forwardPanels: PackedPanels?, backwardPanels: PackedPanels?) {
        (bias, inputSize, outputSize) = (layer.bias, layer.inputSize, layer.outputSize)
        (self.forwardPanels, self.backwardPanels) = (forwardPanels, backwardPanels)
        weight = forwardPanels != nil && backwardPanels != nil ? nil : layer.weight
    }

    /// The same layer with its products on `PanelGemm` where this CPU runs it, the weight laid out
    /// as panels for each (as much memory again as the weight when both have them, which frees
    /// the weight as stored).
    func prepared() -> LinearWeights {
        guard let weight else { return self }
        return LinearWeights(
            self,
            forwardPanels: PackedPanels(weight.base, ldb: inputSize, transposed: true, k: inputSize, n: outputSize),
            backwardPanels: PackedPanels(weight.base, ldb: inputSize, transposed: false, k: outputSize, n: inputSize))
    }

    /// The weight as stored, for OpenBLAS: there whenever a product has no panels.
    var storedWeight: FloatBuffer {
        guard let weight else { preconditionFailure("a layer with panels for both products keeps no stored weight") }
        return weight
    }
}

extension LinearWeights {
    /// `parts` (of one input size, as stored) stacked into one layer whose output is theirs side by side.
    static func stacked(_ parts: [LinearWeights]) -> LinearWeights {
        let inputSize = parts[0].inputSize
        precondition(parts.allSatisfy { $0.inputSize == inputSize }, "stacked layers take one input size")
        let outputSize = parts.reduce(0) { $0 + $1.outputSize }
        let weight = FloatBuffer(uninitialized: outputSize * inputSize)
        let bias = FloatBuffer(uninitialized: outputSize)
        var row = 0
        for part in parts {
            (weight.base + row * inputSize).update(from: part.storedWeight.base, count: part.outputSize * inputSize)
            (bias.base + row).update(from: part.bias.base, count: part.outputSize)
            row += part.outputSize
        }
        return LinearWeights(weight: weight, bias: bias, inputSize: inputSize, outputSize: outputSize)
    }
}

/// A LayerNorm's scale and shift.
struct LayerNormWeights: Sendable {
    let gamma: FloatBuffer
    let beta: FloatBuffer
}

/// The frozen weights of one transformer layer.
struct EncoderLayerWeights: Sendable {
    /// Query, key and value stacked, `[3·hidden, hidden]`: one product makes all three.
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
        queryKeyValue = LinearWeights.stacked([query, key, value]).prepared()
        self.attentionOutput = attentionOutput.prepared()
        self.attentionNorm = attentionNorm
        self.intermediate = intermediate.prepared()
        self.output = output.prepared()
        self.outputNorm = outputNorm
    }

    /// The linear layer a target module names; query, key and value are only ever multiplied
    /// stacked, as `queryKeyValue`.
    func linear(_ module: TargetModule) -> LinearWeights {
        switch module {
        case .attentionOutput: attentionOutput
        case .intermediate: intermediate
        case .output: output
        case .query, .key, .value: preconditionFailure("\(module) is multiplied stacked, as queryKeyValue")
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
