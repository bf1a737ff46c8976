import Foundation

extension TrainingConfig {
    /// Reads the config file at `path`, applies `LORA_<KEY>` overrides from `environment` and validates
    /// the result; throws `.invalidConfig` listing every problem, or returns the config and the overrides to log.
    /// An unset `max_seq_length` becomes the model's `max_position_embeddings` when that is shorter than 128.
    public static func load(
        path: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(LoRAError) -> (config: TrainingConfig, overrides: [ConfigOverride]) {
        let bytes: [UInt8]
        do { bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) } catch {
            throw .cannotRead(path: path, reason: (error as NSError).localizedDescription)
        }
        let decoded = decode(yaml: bytes, path: path, environment: environment)
        let problems = decoded.problems + (decoded.config?.validate() ?? [])
        guard var config = decoded.config, problems.isEmpty else { throw .invalidConfig(path: path, problems: problems) }
        if config.sources[.maxSeqLength] == nil, let model = try? EncoderConfig(contentsOf: config.baseModel + "/config.json") {
            config.maxSeqLength = min(config.maxSeqLength, model.maxPositions)
        }
        return (config, decoded.overrides)
    }
}
