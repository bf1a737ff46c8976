import Foundation

extension PEFTAdapter.Config {
    /// `adapter_config.json` with the fields PEFT writes for a LoRA adapter, formatted as
    /// Python's `json.dumps(indent=2, sort_keys=True)` formats them.
    var json: String {
        let quoted = JSONString.quoted
        let targets = targetModules.isEmpty
            ? "[]" : "[\n" + targetModules.map { "    " + quoted($0) }.joined(separator: ",\n") + "\n  ]"
        let members: [(String, String)] = [
            ("alpha_pattern", "{}"),
            ("base_model_name_or_path", baseModel.map(quoted) ?? "null"),
            ("bias", quoted("none")),
            ("fan_in_fan_out", "false"),
            ("inference_mode", "true"),
            ("init_lora_weights", "true"),
            ("layers_pattern", "null"),
            ("layers_to_transform", "null"),
            ("lora_alpha", Self.number(alpha)),
            ("lora_dropout", "\(dropout)"),
            ("modules_to_save", "null"),
            ("peft_type", quoted("LORA")),
            ("r", "\(rank)"),
            ("rank_pattern", "{}"),
            ("revision", "null"),
            ("target_modules", targets),
            ("task_type", quoted("FEATURE_EXTRACTION")),
            ("use_dora", "false"),
            ("use_rslora", "false"),
        ]
        return "{\n" + members.sorted { $0.0 < $1.0 }.map { "  \(quoted($0.0)): \($0.1)" }.joined(separator: ",\n") + "\n}\n"
    }

    /// `value` as Python prints it: an integer when it is whole (as users write `lora_alpha`), else shortest decimal.
    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 0x1p53 ? String(Int64(value)) : "\(value)"
    }

    /// Reads the settings Tack uses from `adapter_config.json`, refusing anything but a LoRA adapter.
    init(json data: Data, path: String) throws(LoRAError) {
        let file: ConfigFile
        do { file = try JSONDecoder().decode(ConfigFile.self, from: data) } catch {
            throw .invalidAdapter(path: path, reason: "\(PEFTAdapter.configFileName) is not a PEFT config: \(Self.describe(error))")
        }
        guard file.peft_type == "LORA" else {
            throw .invalidAdapter(path: path, reason: "peft_type is \(file.peft_type.map { "\"\($0)\"" } ?? "missing"), not \"LORA\"")
        }
        guard let rank = file.r, rank > 0 else {
            throw .invalidAdapter(path: path, reason: "r is \(file.r.map(String.init) ?? "missing"), not a positive integer")
        }
        if let bias = file.bias, bias != "none" {
            throw .invalidAdapter(path: path, reason: "bias \"\(bias)\" is not supported (\"none\")")
        }
        if file.use_dora == true { throw .invalidAdapter(path: path, reason: "use_dora adapters are not supported") }
        if file.use_rslora == true { throw .invalidAdapter(path: path, reason: "use_rslora adapters are not supported") }
        if file.fan_in_fan_out == true { throw .invalidAdapter(path: path, reason: "fan_in_fan_out adapters are not supported") }
        self.init(rank: rank, alpha: file.lora_alpha ?? 8, dropout: file.lora_dropout ?? 0,
                  targetModules: file.target_modules?.names ?? [], baseModel: file.base_model_name_or_path)
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
             let DecodingError.dataCorrupted(context):
            let key = context.codingPath.map(\.stringValue).joined(separator: ".")
            return key.isEmpty ? context.debugDescription : "\(key): \(context.debugDescription)"
        default:
            return "\(error)"
        }
    }
}

/// The fields of `adapter_config.json` Tack reads; PEFT defaults apply to missing ones.
private struct ConfigFile: Decodable {
    /// `target_modules`: a list of names, or one string PEFT treats as a regular expression.
    enum TargetModules: Decodable {
        case list([String])
        case pattern(String)

        init(from decoder: any Swift.Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let pattern = try? container.decode(String.self) { self = .pattern(pattern) } else { self = .list(try container.decode([String].self)) }
        }

        var names: [String] {
            switch self {
            case let .list(names): names
            case let .pattern(pattern): [pattern]
            }
        }
    }

    let peft_type: String?
    let r: Int?
    let lora_alpha: Double?
    let lora_dropout: Double?
    let target_modules: TargetModules?
    let base_model_name_or_path: String?
    let bias: String?
    let use_dora: Bool?
    let use_rslora: Bool?
    let fan_in_fan_out: Bool?
}
