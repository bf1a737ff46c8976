/// Why the trainer cannot load a model, adapter, checkpoint or data file, or cannot write its output.
public enum LoRAError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A file or directory could not be read.
    case cannotRead(path: String, reason: String)
    /// A file or directory could not be written.
    case cannotWrite(path: String, reason: String)
    /// The model directory is not a BERT-family encoder Tack can load.
    case invalidModel(path: String, reason: String)
    /// `target_modules` names modules the model does not have.
    case unknownTargetModules(requested: [String], available: [String])
    /// An adapter directory is not a PEFT LoRA adapter for this model.
    case invalidAdapter(path: String, reason: String)
    /// A checkpoint directory is missing a file or disagrees with the run being resumed.
    case invalidCheckpoint(path: String, reason: String)
    /// A training data file is malformed; `line` counts from 1, 0 when the whole file is at fault.
    case invalidData(path: String, line: Int, reason: String)
    /// The training configuration has problems, each a sentence naming the key, the value and what is allowed.
    case invalidConfig(path: String, problems: [String])
    /// A safetensors file failed to read or write.
    case safetensors(SafetensorsError)
    /// A vocabulary failed to load.
    case tokenizer(TokenizerError)

    public var description: String {
        switch self {
        case let .cannotRead(path, reason): "\(path): cannot read: \(reason)"
        case let .cannotWrite(path, reason): "\(path): cannot write: \(reason)"
        case let .invalidModel(path, reason): "\(path): not a BERT encoder model: \(reason)"
        case let .unknownTargetModules(requested, available):
            "target_modules \(requested.map { "\"\($0)\"" }.joined(separator: ", ")) "
                + "\(requested.count == 1 ? "matches" : "match") no module of this model; "
                + "its modules are \(available.joined(separator: ", "))"
        case let .invalidAdapter(path, reason): "\(path): not a LoRA adapter for this model: \(reason)"
        case let .invalidCheckpoint(path, reason): "\(path): cannot resume from this checkpoint: \(reason)"
        case let .invalidData(path, line, reason): line > 0 ? "\(path):\(line): \(reason)" : "\(path): \(reason)"
        case let .invalidConfig(path, problems):
            "\(path): invalid training config:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
        case let .safetensors(error): error.description
        case let .tokenizer(error): error.description
        }
    }
}
