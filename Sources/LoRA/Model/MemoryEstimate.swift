/// An estimate, not a measurement, of the peak memory of a LoRA training step or an embedding
/// pass, from a model of what this implementation allocates; each part is in bytes.
///
/// The model, with N = sequences × sequence length, H the hidden size, I the intermediate size,
/// T the sequence length and every float 4 bytes:
/// - weights: every parameter of the frozen encoder (embeddings, their LayerNorm, and per layer
///   4·H² + 2·H·I + biases + two LayerNorms);
/// - panels: where the panel kernel runs (`frozenProductKernel`), each layer's four weights laid
///   out for both of their products, which frees the stored copy: 4·H² + 2·H·I floats more when H
///   and I are whole panels;
/// - activations: the embeddings' output N·H, then per layer 8·N·H + 2·N·I + sequences·heads·T² + 2·N,
///   plus N·r per adapted site of the layer and, when dropout is on, 2·N·in for its dropped input and mask;
/// - backward: the transients of one layer's backward pass, 4·N·H + N·I + T²;
/// - adapter: r·(in + out) floats per site, four times over for training (value, gradient, AdamW's
///   m and v), twice for embedding (value and gradient);
/// - overhead: a fixed 60 MiB for the process, the runtime and the tokenizer.
public struct MemoryEstimate: Sendable, Equatable {
    /// The frozen encoder's weights.
    public var weightBytes: Int
    /// What laying out the frozen weights as panels adds to them (0 where OpenBLAS serves).
    public var panelBytes: Int
    /// What the forward pass keeps for the backward pass.
    public var activationBytes: Int
    /// The transient buffers of one layer's backward pass (0 for embedding).
    public var backwardBytes: Int
    /// The adapter's parameters, with their gradients and optimiser state.
    public var adapterBytes: Int
    /// The process, runtime and tokenizer.
    public var overheadBytes: Int

    /// The estimated peak: the sum of every part.
    public var peakBytes: Int { weightBytes + panelBytes + activationBytes + backwardBytes + adapterBytes + overheadBytes }

    /// The fixed allowance for the process, the runtime and the tokenizer.
    public static let overheadBytes = 60 * 1024 * 1024

    /// The estimate for one training step on `pairs` sentence pairs (2 × `pairs` sequences) of
    /// `sequenceLength` tokens, with adapters of rank `rank` at `sites`.
    public static func training(
        _ config: EncoderConfig, pairs: Int, sequenceLength: Int, rank: Int, sites: [TargetSite], hasDropout: Bool
    ) -> MemoryEstimate {
        let sequences = 2 * pairs
        let rows = sequences * sequenceLength
        let widths = sites.map { $0.module.features(hiddenSize: config.hiddenSize, intermediateSize: config.intermediateSize) }
        let backward = 4 * rows * config.hiddenSize + rows * config.intermediateSize + sequenceLength * sequenceLength
        return MemoryEstimate(
            weightBytes: 4 * parameterCount(config),
            panelBytes: 4 * panelFloats(config),
            activationBytes: 4 * activationFloats(
                config, sequences: sequences, sequenceLength: sequenceLength, rank: rank, inputWidths: widths.map(\.inputs),
                hasDropout: hasDropout),
            backwardBytes: 4 * backward,
            adapterBytes: 4 * 4 * adapterFloats(widths, rank: rank),
            overheadBytes: overheadBytes)
    }

    /// The estimate for embedding `batchSize` sequences of `sequenceLength` tokens, with adapters
    /// of rank `rank` at `sites` (none by default).
    public static func embedding(
        _ config: EncoderConfig, batchSize: Int, sequenceLength: Int, rank: Int = 0, sites: [TargetSite] = []
    ) -> MemoryEstimate {
        let widths = sites.map { $0.module.features(hiddenSize: config.hiddenSize, intermediateSize: config.intermediateSize) }
        return MemoryEstimate(
            weightBytes: 4 * parameterCount(config),
            panelBytes: 4 * panelFloats(config),
            activationBytes: 4 * activationFloats(
                config, sequences: batchSize, sequenceLength: sequenceLength, rank: rank, inputWidths: widths.map(\.inputs),
                hasDropout: false),
            backwardBytes: 0,
            adapterBytes: 4 * 2 * adapterFloats(widths, rank: rank),
            overheadBytes: overheadBytes)
    }

    /// The number of parameters of the frozen encoder (no pooler).
    public static func parameterCount(_ config: EncoderConfig) -> Int {
        let hidden = config.hiddenSize
        let intermediate = config.intermediateSize
        let embeddings = (config.vocabularySize + config.maxPositions + config.typeVocabularySize) * hidden + 2 * hidden
        let matrices = 4 * hidden * hidden + 2 * hidden * intermediate
        let biases = 5 * hidden + intermediate
        let layerNorms = 2 * 2 * hidden
        return embeddings + config.layerCount * (matrices + biases + layerNorms)
    }

    /// Floats `LinearWeights.prepared` adds: per layer, `in·out` for each of its four products
    /// (query-key-value stacked, attention output, intermediate, output) with panels in either
    /// direction (two copies of the panels in place of the stored weight, or the stored weight
    /// and one copy).
    static func panelFloats(_ config: EncoderConfig) -> Int {
        guard PanelGemm.isEnabled else { return 0 }
        let (hidden, inner) = (config.hiddenSize, config.intermediateSize)
        let products = [(hidden, 3 * hidden), (hidden, hidden), (hidden, inner), (inner, hidden)]
        let perLayer = products.reduce(0) { total, product in
            let (inputs, outputs) = product
            return inputs % 32 == 0 || outputs % 32 == 0 ? total + inputs * outputs : total
        }
        return config.layerCount * perLayer
    }

    /// Floats the forward pass keeps: the embeddings' output and every layer's activations.
    private static func activationFloats(
        _ config: EncoderConfig, sequences: Int, sequenceLength: Int, rank: Int, inputWidths: [Int], hasDropout: Bool
    ) -> Int {
        let rows = sequences * sequenceLength
        let perLayer = 8 * rows * config.hiddenSize + 2 * rows * config.intermediateSize
            + sequences * config.headCount * sequenceLength * sequenceLength + 2 * rows
        let adapters = inputWidths.reduce(0) { total, inputs in total + rows * rank + (hasDropout ? 2 * rows * inputs : 0) }
        return rows * config.hiddenSize + config.layerCount * perLayer + adapters
    }

    /// Floats of the adapters' A and B matrices.
    private static func adapterFloats(_ widths: [(inputs: Int, outputs: Int)], rank: Int) -> Int {
        widths.reduce(0) { $0 + rank * ($1.inputs + $1.outputs) }
    }
}

extension MemoryEstimate {
    /// The training settings a memory budget allows.
    public struct TrainingSettings: Sendable, Equatable {
        /// Sentence pairs per batch.
        public var batchSize: Int
        /// Tokens per sentence.
        public var maxSeqLength: Int
        /// The LoRA rank.
        public var loraRank: Int
        /// The estimated memory of a step with these settings.
        public var estimate: MemoryEstimate
    }

    /// What fits in a memory budget.
    public enum Recommendation: Sendable, Equatable {
        /// The settings to train with.
        case fits(TrainingSettings)
        /// Nothing fits; these are the smallest settings tried.
        case tooSmall(smallest: TrainingSettings)
    }

    /// The share of a budget a recommendation leaves free, as a margin for what the estimate misses.
    public static let budgetMargin = 0.2

    /// The settings to train with in `budgetBytes`, keeping `budgetMargin` free: max_seq_length 128
    /// (or the model's max positions when fewer), rank 8 (16 when rank 8 would use under a quarter
    /// of the budget) and the largest of 64, 32, 16, 8, 4, 2 pairs that fits; when even 2 pairs do
    /// not fit, 64 then 32 tokens are tried.
    public static func recommend(
        _ config: EncoderConfig, budgetBytes: Int, sites: [TargetSite], hasDropout: Bool
    ) -> Recommendation {
        let usable = Int((Double(budgetBytes) * (1 - budgetMargin)).rounded(.down))
        let preferred = min(128, config.maxPositions)
        let lengths = [preferred] + [64, 32].filter { $0 < preferred }
        func settings(_ pairs: Int, _ length: Int, _ rank: Int) -> TrainingSettings {
            TrainingSettings(
                batchSize: pairs, maxSeqLength: length, loraRank: rank,
                estimate: training(config, pairs: pairs, sequenceLength: length, rank: rank, sites: sites, hasDropout: hasDropout))
        }
        var smallest = settings(2, preferred, 8)
        for length in lengths {
            for pairs in [64, 32, 16, 8, 4, 2] {
                let chosen = settings(pairs, length, 8)
                if pairs == 2 { smallest = chosen }
                guard chosen.estimate.peakBytes <= usable else { continue }
                let larger = settings(pairs, length, 16)
                let isAmple = chosen.estimate.peakBytes < budgetBytes / 4 && larger.estimate.peakBytes <= usable
                return .fits(isAmple ? larger : chosen)
            }
        }
        return .tooSmall(smallest: smallest)
    }
}
