import Synchronization

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
    /// over real tokens, L2-normalised; one row of `hiddenSize` per sequence.
    public func embed(_ batch: TokenBatch, adapter: LoRAAdapter? = nil) -> [[Float]] {
        var unused = SystemRandomNumberGenerator()
        let pass = forward(batch, adapter: adapter, training: false, random: &unused)
        let pooled = SentencePooling.forward(pass.output, batch: batch, width: config.hiddenSize)
        let width = config.hiddenSize
        return (0..<batch.count).map { row in Array(UnsafeBufferPointer(start: pooled.normalized.base + row * width, count: width)) }
    }

    /// Runs every layer over `batch`, keeping what the backward pass needs.
    func forward<R: RandomNumberGenerator>(
        _ batch: TokenBatch, adapter: LoRAAdapter?, training: Bool, random: inout R
    ) -> EncoderPass {
        precondition(batch.length <= config.maxPositions, "sequence longer than the model's position embeddings")
        let pass = EncoderPass(batch: batch, embeddings: embeddings(batch))
        for (index, layer) in weights.layers.enumerated() {
            let activations = self.layer(
                index, layer, input: pass.output, batch: batch, adapter: adapter, training: training, random: &random)
            pass.layers.append(activations)
            pass.output = activations.output
        }
        return pass
    }

    /// Word + position + token-type (0) embeddings, LayerNormed, `[N, hidden]`.
    func embeddings(_ batch: TokenBatch) -> FloatBuffer {
        let width = config.hiddenSize
        let rows = batch.count * batch.length
        let x = FloatBuffer(uninitialized: rows * width)
        for row in 0..<rows {
            let id = Int(batch.ids[row])
            precondition(id >= 0 && id < config.vocabularySize, "token id \(id) outside the vocabulary")
            let word = weights.wordEmbeddings.base + id * width
            let position = weights.positionEmbeddings.base + (row % batch.length) * width
            let type = weights.tokenTypeEmbeddings.base
            let line = x.base + row * width
            for column in 0..<width { line[column] = word[column] + position[column] + type[column] }
        }
        _ = LayerNormPass(x, weights.embeddingNorm, rows: rows, width: width, epsilon: config.layerNormEpsilon)
        return x
    }
}

extension Encoder {
    /// Sentence embeddings of `encodings` in their order, computed in passes of at most
    /// `batchSize` encodings of similar length, so padding to the longest of a pass costs little.
    ///
    /// With several passes, each runs whole on one thread, side by side: no thread waits for
    /// another between the products of a pass. A single pass splits its products instead.
    public func embed(
        _ encodings: [WordPieceTokenizer.Encoding], batchSize: Int, paddingID: Int, adapter: LoRAAdapter? = nil
    ) -> [[Float]] {
        let order = encodings.indices.sorted { encodings[$0].ids.count < encodings[$1].ids.count }
        // More than one pass: as many as fit `batchSize`, rounded up to a multiple of the threads,
        // so that every thread gets an equal share.
        var passes = (order.count + max(1, batchSize) - 1) / max(1, batchSize)
        if passes > 1 { passes = (passes + Workers.count - 1) / Workers.count * Workers.count }
        let size = max(1, (order.count + max(1, passes) - 1) / max(1, passes))
        let runs = stride(from: 0, to: order.count, by: size).map { order[$0..<min($0 + size, order.count)] }
        let results = Mutex([[Float]](repeating: [], count: encodings.count))
        Workers.run(runs.count) { piece in
            let run = runs[runs.count - 1 - piece]  // the longest first, so that no long pass runs alone at the end
            let vectors = embed(TokenBatch(run.map { encodings[$0] }, paddingID: paddingID), adapter: adapter)
            results.withLock { embeddings in
                for (index, embedding) in zip(run, vectors) { embeddings[index] = embedding }
            }
        }
        return results.withLock { $0 }
    }
}
