import Foundation

extension Checkpoint {
    /// Reads the checkpoint directory at `path`, checking that its parts are complete and agree.
    public init(contentsOf path: String) throws(LoRAError) {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .invalidCheckpoint(path: path, reason: "no such directory")
        }
        let files = [PEFTAdapter.weightsFileName, PEFTAdapter.configFileName, Self.optimizerFileName, Self.stateFileName]
        for file in files where !manager.fileExists(atPath: path + "/" + file) {
            throw .invalidCheckpoint(path: path, reason: "\(file) is missing")
        }
        let adapter: PEFTAdapter
        do { adapter = try PEFTAdapter(contentsOf: path) } catch {
            switch error {
            case let .invalidAdapter(_, reason): throw .invalidCheckpoint(path: path, reason: reason)
            case let .safetensors(error): throw .invalidCheckpoint(path: path, reason: error.description)
            default: throw error
            }
        }
        let optimizer = try Self.readOptimizer(path + "/" + Self.optimizerFileName, for: adapter.parameters, checkpoint: path)
        let state = try Self.readState(path + "/" + Self.stateFileName, checkpoint: path)
        guard state.globalStep == optimizer.step else {
            throw .invalidCheckpoint(path: path, reason: "\(Self.stateFileName) is at step \(state.globalStep) "
                + "but \(Self.optimizerFileName) at step \(optimizer.step)")
        }
        let name = (path as NSString).lastPathComponent
        if name.hasPrefix("checkpoint-"), let step = Int(name.dropFirst("checkpoint-".count)), step != state.globalStep {
            throw .invalidCheckpoint(path: path, reason: "\(Self.stateFileName) is at step \(state.globalStep), not \(step)")
        }
        self.init(adapter: adapter, optimizer: optimizer, trainerState: state)
    }

    /// The AdamW state in `file`: exactly one F32 `exp_avg` and `exp_avg_sq` per parameter, shaped like it.
    private static func readOptimizer(_ file: String, for parameters: [Parameter], checkpoint: String) throws(LoRAError) -> AdamW.State {
        func invalid(_ reason: String) -> LoRAError { .invalidCheckpoint(path: checkpoint, reason: "\(optimizerFileName): \(reason)") }
        let tensors: SafetensorsFile
        do { tensors = try SafetensorsFile(path: file) } catch { throw .invalidCheckpoint(path: checkpoint, reason: error.description) }
        guard let text = tensors.metadata["step"], let step = Int(text), step >= 0 else {
            throw invalid("the metadata has no step count")
        }
        if tensors.tensors.isEmpty, step == 0 { return AdamW.State() }
        var moments: [AdamW.Moments] = []
        for parameter in parameters {
            var pair: [[Float]] = []
            for name in ["exp_avg." + parameter.name, "exp_avg_sq." + parameter.name] {
                guard let info = tensors.tensors[name] else { throw invalid("tensor \"\(name)\" is missing") }
                guard info.dtype == .f32, info.shape == parameter.shape else {
                    throw invalid("tensor \"\(name)\" is \(info.dtype.rawValue) \(info.shape), expected F32 \(parameter.shape)")
                }
                do { pair.append(try tensors.floats(name)) } catch { throw .invalidCheckpoint(path: checkpoint, reason: error.description) }
            }
            moments.append(AdamW.Moments(name: parameter.name, firstMoment: pair[0], secondMoment: pair[1]))
        }
        if tensors.tensors.count != 2 * parameters.count {
            let expected = Set(parameters.flatMap { ["exp_avg." + $0.name, "exp_avg_sq." + $0.name] })
            let extra = tensors.names.first { !expected.contains($0) } ?? ""
            throw invalid("tensor \"\(extra)\" is not the moment of an adapter weight")
        }
        return AdamW.State(step: step, moments: moments)
    }

    /// The trainer state in `file`, checked for consistency.
    private static func readState(_ file: String, checkpoint: String) throws(LoRAError) -> TrainerState {
        let state: TrainerState
        do {
            state = try JSONDecoder().decode(TrainerState.self, from: Data(contentsOf: URL(fileURLWithPath: file)))
        } catch {
            throw .invalidCheckpoint(path: checkpoint, reason: "\(stateFileName) is unreadable: \(describe(error))")
        }
        if let problem = state.problem { throw .invalidCheckpoint(path: checkpoint, reason: "\(stateFileName): \(problem)") }
        return state
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case let DecodingError.keyNotFound(key, context):
            "\((context.codingPath + [key]).map(\.stringValue).joined(separator: ".")) is missing"
        case let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
             let DecodingError.dataCorrupted(context):
            context.codingPath.isEmpty ? "\(context.debugDescription) \(context.underlyingError.map { "\($0)" } ?? "")"
                : "\(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
        default:
            DurableFiles.describe(error)
        }
    }
}
