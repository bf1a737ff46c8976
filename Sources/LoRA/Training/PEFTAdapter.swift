/// A LoRA adapter in Hugging Face PEFT's directory format: `adapter_model.safetensors` and `adapter_config.json`.
public struct PEFTAdapter: Sendable, Equatable {
    /// The settings PEFT records in `adapter_config.json` that Tack reads back.
    public struct Config: Sendable, Equatable {
        /// The LoRA rank `r`.
        public var rank: Int
        /// `lora_alpha`; the update is scaled by alpha / rank.
        public var alpha: Double
        /// `lora_dropout`, the dropout probability on the adapter's input.
        public var dropout: Double
        /// `target_modules` as the user wrote them.
        public var targetModules: [String]
        /// `base_model_name_or_path`, the model the adapter was trained on.
        public var baseModel: String?

        /// A configuration of the given settings.
        public init(rank: Int, alpha: Double, dropout: Double = 0, targetModules: [String], baseModel: String? = nil) {
            self.rank = rank
            self.alpha = alpha
            self.dropout = dropout
            self.targetModules = targetModules
            self.baseModel = baseModel
        }
    }

    /// The file holding the weights.
    public static let weightsFileName = "adapter_model.safetensors"
    /// The file holding the configuration.
    public static let configFileName = "adapter_config.json"

    /// The configuration.
    public var config: Config
    /// The `lora_A` and `lora_B` weights, sorted by site then A before B.
    public var parameters: [Parameter]

    /// An adapter of `parameters` (named as PEFT keys them) with `config`.
    public init(config: Config, parameters: [Parameter]) {
        self.config = config
        self.parameters = parameters
    }

    /// Writes the adapter as the directory `path`, atomically replacing whatever is there.
    public func write(to path: String) throws(LoRAError) {
        try Self.validate(parameters.map { ($0.name, $0.shape) }, rank: config.rank, path: path)
        try DurableFiles.replaceDirectory(at: path) { (directory) throws(LoRAError) in try writeFiles(into: directory) }
    }

    /// Writes the two adapter files into the existing directory `directory`, fsyncing each.
    func writeFiles(into directory: String) throws(LoRAError) {
        var tensors: [String: Tensor] = [:]
        for parameter in parameters { tensors[parameter.name] = Tensor(parameter.value, shape: parameter.shape) }
        do {
            try SafetensorsWriter.write(tensors, metadata: ["format": "pt"], to: directory + "/" + Self.weightsFileName)
        } catch {
            throw .safetensors(error)
        }
        try DurableFiles.write(Array(config.json.utf8), to: directory + "/" + Self.configFileName)
    }
}
