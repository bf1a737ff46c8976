/// The mutable part of a run: adapter, optimizer, position and random stream, all of it checkpointed.
struct TrainingRun {
    let config: TrainingConfig
    let totalSteps: Int
    let scheduler: LearningRateScheduler
    var adapter: LoRAAdapter
    var optimizer: AdamW
    var state: TrainerState
    var random: RandomGenerator
    /// The checkpoint this run resumed from.
    let resumedFrom: String?

    /// A fresh run from the seed, or the run a checkpoint saved when `resume` is given.
    init(config: TrainingConfig, data: TrainingData, resume: ResumePoint?) throws(LoRAError) {
        self.config = config
        let batchesPerEpoch = Evaluator.batches(count: data.trainCount, size: config.batchSize).count
        let accumulation = config.gradientAccumulationSteps
        totalSteps = config.maxSteps ?? config.epochs * max(1, (batchesPerEpoch + accumulation - 1) / accumulation)
        scheduler = LearningRateScheduler(
            kind: config.lrScheduler, baseRate: Double(config.learningRate), warmupSteps: config.warmupSteps,
            totalSteps: totalSteps)
        optimizer = AdamW(weightDecay: Double(config.weightDecay))
        let fingerprint = ConfigFingerprint.of(config, pairCount: data.trainCount, totalSteps: totalSteps)
        let model = data.encoder.config

        guard let resume else {
            random = RandomGenerator(seed: UInt64(bitPattern: Int64(config.seed)))
            let parameters = LoRAInitialization.parameters(
                sites: data.sites, rank: config.loraRank, hiddenSize: model.hiddenSize,
                intermediateSize: model.intermediateSize, rng: &random)
            adapter = LoRAAdapter(
                rank: config.loraRank, alpha: config.loraAlpha, dropout: config.loraDropout, sites: data.sites,
                parameters: parameters)
            state = TrainerState(
                globalStep: 0, epoch: 0, batchIndex: 0, dataOrder: random.permutation(of: data.trainCount),
                random: random.state, scheduler: scheduler, configFingerprint: fingerprint)
            resumedFrom = nil
            return
        }

        let path: String
        switch resume {
        case .latest:
            guard let latest = try Checkpoint.latest(config.outputDir) else {
                throw .invalidCheckpoint(path: config.outputDir, reason: "there is no checkpoint-STEP directory to resume from")
            }
            path = latest.path
        case let .directory(directory): path = directory
        }
        let checkpoint = try Checkpoint(contentsOf: path)
        let changed = ConfigFingerprint.differences(checkpoint: checkpoint.trainerState.configFingerprint, run: fingerprint)
        guard changed.isEmpty else {
            throw .invalidCheckpoint(path: path, reason: "it was written with other settings: " + changed.joined(separator: "; "))
        }
        adapter = try LoRAAdapter(checkpoint.adapter, for: model, path: path)
        guard adapter.sites == data.sites, adapter.dropout == config.loraDropout else {
            throw .invalidCheckpoint(path: path, reason: "its adapter is on other modules than target_modules selects")
        }
        optimizer.state = checkpoint.optimizer
        state = checkpoint.trainerState
        guard state.dataOrder.count == data.trainCount else {
            throw .invalidCheckpoint(path: path, reason: "its data order covers \(state.dataOrder.count) pairs, not \(data.trainCount)")
        }
        random = RandomGenerator(state: state.random)
        resumedFrom = path
    }

    /// One optimizer step over `gradient_accumulation_steps` batches; returns the mean loss, the
    /// tokens encoded, the gradient norm before clipping and the learning rate used.
    mutating func step(data: TrainingData) -> (loss: Float, tokens: Int, gradientNorm: Double, learningRate: Double) {
        adapter.zeroGradients()
        let accumulation = config.gradientAccumulationSteps
        var loss = 0.0
        var tokens = 0
        for _ in 0..<accumulation {
            let pairs = nextBatch()
            let batch = TokenBatch(pairs.map { data.anchors[$0] } + pairs.map { data.positives[$0] })
            let result = data.encoder.contrastiveStep(
                batch, adapter: &adapter, similarityScale: config.similarityScale, random: &random)
            loss += Double(result.loss)
            tokens += result.tokens
        }
        GradientClipping.average(&adapter.parameters, overAccumulationSteps: accumulation)
        let norm = GradientClipping.clipNorm(&adapter.parameters, maxNorm: Double(config.maxGradNorm))
        let rate = scheduler.rate(atStep: state.globalStep)
        optimizer.step(&adapter.parameters, learningRate: rate)
        state.globalStep += 1
        state.random = random.state
        return (Float(loss / Double(accumulation)), tokens, norm, rate)
    }

    /// The next batch's pair indices; a new epoch reshuffles the order.
    private mutating func nextBatch() -> ArraySlice<Int> {
        let count = state.dataOrder.count
        if state.batchIndex >= count {
            state.epoch += 1
            state.dataOrder = random.permutation(of: count)
            state.batchIndex = 0
        }
        let start = state.batchIndex
        let end = Evaluator.batchEnd(start: start, count: count, size: config.batchSize)
        state.batchIndex = end
        return state.dataOrder[start..<end]
    }

    /// Records an evaluation loss; true when it has not improved for `patience` evaluations (0 never stops).
    mutating func updatePatience(_ loss: Float, patience: Int) -> Bool {
        if let best = state.bestEvalLoss, Double(loss) >= best {
            state.patienceCounter += 1
        } else {
            state.bestEvalLoss = Double(loss)
            state.patienceCounter = 0
        }
        return patience > 0 && state.patienceCounter >= patience
    }

    /// The adapter in PEFT's format.
    func peftAdapter(baseModel: String?) -> PEFTAdapter {
        PEFTAdapter(
            config: PEFTAdapter.Config(
                rank: adapter.rank, alpha: Double("\(adapter.alpha)") ?? 0, dropout: Double("\(adapter.dropout)") ?? 0,
                targetModules: config.targetModules, baseModel: baseModel),
            parameters: adapter.parameters)
    }

    /// Everything needed to continue from here.
    func checkpoint() -> Checkpoint {
        Checkpoint(adapter: peftAdapter(baseModel: config.baseModel), optimizer: optimizer.state, trainerState: state)
    }
}
