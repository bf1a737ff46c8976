import Foundation

/// Everything needed to resume training exactly, stored as `OUTPUT/checkpoint-STEP/`: the adapter
/// in PEFT format, `optimizer.safetensors` (AdamW moments) and `trainer_state.json`.
public struct Checkpoint: Sendable, Equatable {
    /// The optimizer state file: `exp_avg.NAME` and `exp_avg_sq.NAME` per parameter, the step in its metadata.
    public static let optimizerFileName = "optimizer.safetensors"
    /// The trainer state file.
    public static let stateFileName = "trainer_state.json"

    /// The adapter's configuration and weights.
    public var adapter: PEFTAdapter
    /// The optimizer's step count and moments.
    public var optimizer: AdamW.State
    /// The position in the run.
    public var trainerState: TrainerState

    /// A checkpoint of the given parts.
    public init(adapter: PEFTAdapter, optimizer: AdamW.State, trainerState: TrainerState) {
        self.adapter = adapter
        self.optimizer = optimizer
        self.trainerState = trainerState
    }

    /// The directory name of the checkpoint after `step` optimizer steps.
    public static func directoryName(step: Int) -> String { "checkpoint-\(step)" }

    /// Writes the checkpoint as `outputDirectory/checkpoint-STEP`, atomically, and returns its path.
    @discardableResult
    public func write(toOutput outputDirectory: String) throws(LoRAError) -> String {
        let parameters = adapter.parameters
        precondition(optimizer.moments.isEmpty || optimizer.moments.map(\.name) == parameters.map(\.name),
                     "the optimizer state is for other parameters than the adapter's")
        let path = outputDirectory + "/" + Self.directoryName(step: trainerState.globalStep)
        try PEFTAdapter.validate(parameters.map { ($0.name, $0.shape) }, rank: adapter.config.rank, path: path)
        var tensors: [String: Tensor] = [:]
        for (moments, parameter) in zip(optimizer.moments, parameters) {
            tensors["exp_avg." + moments.name] = Tensor(moments.firstMoment, shape: parameter.shape)
            tensors["exp_avg_sq." + moments.name] = Tensor(moments.secondMoment, shape: parameter.shape)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let state: Data
        do { state = try encoder.encode(trainerState) } catch {
            throw .cannotWrite(path: path + "/" + Self.stateFileName, reason: DurableFiles.describe(error))
        }
        try DurableFiles.replaceDirectory(at: path) { (directory) throws(LoRAError) in
            try adapter.writeFiles(into: directory)
            do throws(SafetensorsError) {
                try SafetensorsWriter.write(tensors, metadata: ["format": "pt", "step": String(optimizer.step)],
                                            to: directory + "/" + Self.optimizerFileName)
            } catch {
                throw .safetensors(error)
            }
            try DurableFiles.write(Array(state) + [UInt8(ascii: "\n")], to: directory + "/" + Self.stateFileName)
        }
        return path
    }
}
