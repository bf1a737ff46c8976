/// A run's inputs, loaded once: the encoder, the tokenized training pairs and the held-out evaluator.
struct TrainingData: Sendable {
    let encoder: Encoder
    let anchors: [WordPieceTokenizer.Encoding]
    let positives: [WordPieceTokenizer.Encoding]
    let evaluator: Evaluator
    let sites: [TargetSite]

    /// The number of training pairs.
    var trainCount: Int { anchors.count }

    /// Loads the model (unless `model` is it, loaded already), the vocabulary and the pairs `config`
    /// names, and splits off the held-out pairs.
    init(config: TrainingConfig, model: Encoder? = nil) throws(LoRAError) {
        if let model { encoder = model } else { encoder = try Encoder(directory: config.baseModel) }
        let tokenizer: WordPieceTokenizer
        do { tokenizer = try WordPieceTokenizer(vocabPath: config.baseModel + "/vocab.txt") } catch { throw .tokenizer(error) }
        sites = try TargetSite.resolve(config.targetModules, layerCount: encoder.config.layerCount)
        let (train, held) = EvalSplit.split(try PairsCSV.read(path: config.metadataPath), share: config.evalSplit)
        let length = min(config.maxSeqLength, encoder.config.maxPositions)
        func encode(_ texts: [String]) -> [WordPieceTokenizer.Encoding] { texts.map { tokenizer.encode($0, maxLength: length) } }
        anchors = encode(train.map(\.anchor))
        positives = encode(train.map(\.positive))
        evaluator = Evaluator(
            encoder: encoder, anchors: encode(held.map(\.anchor)), positives: encode(held.map(\.positive)),
            batchSize: config.batchSize, similarityScale: config.similarityScale)
    }
}
