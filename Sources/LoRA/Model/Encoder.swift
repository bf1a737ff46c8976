/// A frozen BERT-family encoder: embeddings and post-LayerNorm transformer layers, forward and backward.
public struct Encoder: Sendable {
    /// The model's sizes.
    public let config: EncoderConfig
    let weights: EncoderWeights

    /// Loads `config.json` and `model.safetensors` from a model directory.
    public init(directory: String) throws(LoRAError) {
        let config = try EncoderConfig(contentsOf: directory + "/config.json")
        let file: SafetensorsFile
        do { file = try SafetensorsFile(path: directory + "/model.safetensors") } catch { throw .safetensors(error) }
        self.init(config: config, weights: try EncoderWeights(file: file, config: config))
    }

    init(config: EncoderConfig, weights: EncoderWeights) {
        self.config = config
        self.weights = weights
    }

    /// Sentence embeddings as sentence-transformers computes them: mean of the last hidden states
    /// over each sequence's tokens, L2-normalised; one row of `hiddenSize` per sequence.
    public func embed(_ batch: TokenBatch, adapter: LoRAAdapter? = nil) -> [[Float]] {
        let width = config.hiddenSize
        let all = normalizedEmbeddings(batch, adapter: adapter)
        return (0..<batch.count).map { row in Array(UnsafeBufferPointer(start: all.base + row * width, count: width)) }
    }

    /// Runs every layer over `batch`, keeping what the backward pass needs; `dropout` is nil
    /// outside training.
    func forward(_ batch: TokenBatch, adapter: LoRAAdapter?, dropout: Dropout?) -> EncoderPass {
        precondition(batch.longest <= config.maxPositions, "sequence longer than the model's position embeddings")
        let pass = EncoderPass(batch: batch, embeddings: embeddings(batch))
        for (index, layer) in weights.layers.enumerated() {
            let activations = self.layer(
                index, layer, input: pass.output, batch: batch, adapter: adapter, dropout: dropout)
            pass.layers.append(activations)
            pass.output = activations.output
        }
        return pass
    }

    /// Word + position + token-type (0) embeddings, LayerNormed, `[N, hidden]`.
    func embeddings(_ batch: TokenBatch) -> FloatBuffer {
        let width = config.hiddenSize
        let rows = batch.tokenCount
        let x = FloatBuffer(uninitialized: rows * width)
        let type = weights.tokenTypeEmbeddings.base
        for sequence in 0..<batch.count {
            for (position, row) in batch.rows(of: sequence).enumerated() {
                let id = Int(batch.ids[row])
                precondition(id >= 0 && id < config.vocabularySize, "token id \(id) outside the vocabulary")
                let word = weights.wordEmbeddings.base + id * width
                let place = weights.positionEmbeddings.base + position * width
                let line = x.base + row * width
                for column in 0..<width { line[column] = word[column] + place[column] + type[column] }
            }
        }
        _ = LayerNormPass(x, weights.embeddingNorm, rows: rows, width: width, epsilon: config.layerNormEpsilon)
        return x
    }
}

extension Encoder {
    /// Sentence embeddings of `encodings` in their order, in forward passes of at most about
    /// `batchSize` encodings on each thread.
    public func embed(
        _ encodings: [WordPieceTokenizer.Encoding], batchSize: Int, adapter: LoRAAdapter? = nil
    ) -> [[Float]] {
        let chunk = max(1, batchSize) * (Workers.isInside ? 1 : Workers.count)
        return stride(from: 0, to: encodings.count, by: chunk).flatMap { start in
            embed(TokenBatch(Array(encodings[start..<min(start + chunk, encodings.count)])), adapter: adapter)
        }
    }
}
