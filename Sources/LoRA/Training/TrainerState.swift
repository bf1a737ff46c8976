/// Where a training run stands, saved as `trainer_state.json` in each checkpoint so a resumed run
/// continues exactly: same step, same data order, same random stream, same schedule.
public struct TrainerState: Sendable, Equatable, Codable {
    /// The number of optimizer steps taken.
    public var globalStep: Int
    /// The current epoch, from 0.
    public var epoch: Int
    /// The index in `dataOrder` of the next batch of the epoch to train on.
    public var batchIndex: Int
    /// The epoch's order of training examples, a permutation of their indices.
    public var dataOrder: [Int]
    /// The random generator's state after the last step.
    public var random: RandomGenerator.State
    /// The learning-rate schedule of the run.
    public var scheduler: LearningRateScheduler
    /// The lowest evaluation loss so far, nil before the first evaluation.
    public var bestEvalLoss: Double?
    /// The number of evaluations since `bestEvalLoss` last improved, for early stopping.
    public var patienceCounter: Int
    /// A digest of the settings a resumed run must share with this one; the trainer compares it.
    public var configFingerprint: String

    /// A state of the given values.
    public init(
        globalStep: Int, epoch: Int, batchIndex: Int, dataOrder: [Int], random: RandomGenerator.State,
        scheduler: LearningRateScheduler, bestEvalLoss: Double? = nil, patienceCounter: Int = 0, configFingerprint: String
    ) {
        self.globalStep = globalStep
        self.epoch = epoch
        self.batchIndex = batchIndex
        self.dataOrder = dataOrder
        self.random = random
        self.scheduler = scheduler
        self.bestEvalLoss = bestEvalLoss
        self.patienceCounter = patienceCounter
        self.configFingerprint = configFingerprint
    }

    /// Why the state cannot be resumed from, or nil when it is consistent.
    var problem: String? {
        if globalStep < 0 { return "global_step \(globalStep) is negative" }
        if epoch < 0 { return "epoch \(epoch) is negative" }
        if patienceCounter < 0 { return "patience_counter \(patienceCounter) is negative" }
        if !(0...dataOrder.count).contains(batchIndex) {
            return "batch_index \(batchIndex) is outside the epoch's \(dataOrder.count) batches"
        }
        var seen = [Bool](repeating: false, count: dataOrder.count)
        for index in dataOrder {
            guard seen.indices.contains(index), !seen[index] else {
                return "data_order is not a permutation of 0..<\(dataOrder.count) (at \(index))"
            }
            seen[index] = true
        }
        if !random.isValid { return "rng_state is all zero" }
        return nil
    }

    private enum CodingKeys: String, CodingKey {
        case globalStep = "global_step", epoch, batchIndex = "batch_index", dataOrder = "data_order"
        case random = "rng_state", scheduler = "lr_scheduler", bestEvalLoss = "best_eval_loss"
        case patienceCounter = "patience_counter", configFingerprint = "config_fingerprint"
    }
}
