import Foundation
import TackYAML

/// What `lora-train train` does: the model, the data, the adapter's shape and the optimisation,
/// read from a YAML file whose snake_case keys (flat, or under `model_config:` and
/// `training_config:`) name these properties, with `LORA_<KEY>` environment variables on top.
public struct TrainingConfig: Sendable, Equatable {
    /// Directory of the training data; relative `metadata_path`s resolve against it (default: the config's directory).
    public var trainDataDir: String
    /// The CSV of sentence pairs, with `anchor` and `positive` columns.
    public var metadataPath: String
    /// The encoder directory holding config.json, model.safetensors and vocab.txt.
    public var baseModel: String
    /// Where the adapter and checkpoints go.
    public var outputDir: String
    /// The rank r of the low-rank update.
    public var loraRank = 8
    /// The scale numerator: the update is multiplied by alpha / r.
    public var loraAlpha: Float = 16
    /// Dropout probability applied to the input of every adapted layer.
    public var loraDropout: Float = 0.1
    /// Module names the adapter wraps, matched as PEFT matches them.
    public var targetModules = ["query", "value"]
    /// Sentence pairs per batch; the other pairs of a batch are each anchor's negatives.
    public var batchSize = 16
    /// Batches whose gradients are summed before one optimiser step.
    public var gradientAccumulationSteps = 1
    /// Passes over the training pairs, unless `maxSteps` is set.
    public var epochs = 1
    /// Optimiser steps to take; when set it wins over `epochs`, as in Hugging Face's Trainer.
    public var maxSteps: Int?
    /// The peak learning rate of AdamW.
    public var learningRate: Float = 2e-4
    /// How the learning rate changes over the run.
    public var lrScheduler = LearningRateSchedule.linear
    /// Steps over which the learning rate rises linearly from 0 to its peak.
    public var warmupSteps = 0
    /// AdamW's decoupled weight decay.
    public var weightDecay: Float = 0.01
    /// The largest global gradient norm kept; larger gradients are scaled down (0 turns clipping off).
    public var maxGradNorm: Float = 1.0
    /// Tokens per sentence, [CLS] and [SEP] included; longer sentences are truncated (`load` lowers
    /// the default to the model's max_position_embeddings when that is shorter).
    public var maxSeqLength = 128
    /// Steps between checkpoints (0: only the final adapter is written).
    public var saveSteps = 0
    /// The most checkpoints kept; older ones are deleted.
    public var saveTotalLimit = 3
    /// Steps between evaluations (0: evaluate only before and after training).
    public var evalSteps = 0
    /// The share of pairs held out for evaluation, in [0, 1); see `EvalSplit`.
    public var evalSplit = 0.0
    /// Evaluations without improvement after which training stops (0: never stop early).
    public var earlyStoppingPatience = 0
    /// The factor cosine similarities are multiplied by before the softmax of the ranking loss.
    public var similarityScale: Float = 20
    /// Seed of every random choice: initialisation, dropout and shuffling.
    public var seed = 42
    /// Worker threads for the matrix products.
    public var threads: Int

    /// The config file these values were read from ("" when built in code), for messages.
    var configPath = ""
    /// Where each value that is not a default came from, for messages.
    var sources: [Key: Source] = [:]

    /// A config with every default, for the given files; paths are used as given.
    public init(baseModel: String, metadataPath: String, outputDir: String, trainDataDir: String = ".",
                threads: Int = TrainingConfig.onlineCPUCount) {
        self.baseModel = baseModel
        self.metadataPath = metadataPath
        self.outputDir = outputDir
        self.trainDataDir = trainDataDir
        self.threads = threads
    }

    /// The number of online CPUs, the default for `threads`.
    public static var onlineCPUCount: Int { max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    /// Where a value came from.
    enum Source: Sendable, Equatable {
        /// The value node in the config file.
        case file(Mark)
        /// A `LORA_<KEY>` variable.
        case environment(variable: String)
    }
}
