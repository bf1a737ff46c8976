/// A linear layer of a BERT encoder layer that a LoRA adapter can wrap, named as in the checkpoint.
public enum TargetModule: String, CaseIterable, Sendable, Codable {
    case query = "attention.self.query"
    case key = "attention.self.key"
    case value = "attention.self.value"
    case attentionOutput = "attention.output.dense"
    case intermediate = "intermediate.dense"
    case output = "output.dense"

    /// The module's full name in layer `layer`, as PEFT matches it: `encoder.layer.3.attention.self.query`.
    public func moduleName(layer: Int) -> String { "encoder.layer.\(layer).\(rawValue)" }

    /// The shortest names a user writes in `target_modules` for the modules of every layer.
    public static let shortNames = ["query", "key", "value", "attention.output.dense", "intermediate.dense", "output.dense"]
}

/// One adapted linear layer: which layer and which module.
public struct TargetSite: Hashable, Comparable, Sendable {
    /// The encoder layer, from 0.
    public let layer: Int
    /// The module within the layer.
    public let module: TargetModule

    /// The site of `module` in `layer`.
    public init(layer: Int, module: TargetModule) {
        self.layer = layer
        self.module = module
    }

    /// PEFT's key for this site's `lora_A` or `lora_B` weight in `adapter_model.safetensors`.
    public func parameterName(_ matrix: LoRAMatrix) -> String {
        "base_model.model.\(module.moduleName(layer: layer)).\(matrix.rawValue).weight"
    }

    public static func < (lhs: TargetSite, rhs: TargetSite) -> Bool {
        if lhs.layer != rhs.layer { return lhs.layer < rhs.layer }
        let order = TargetModule.allCases
        return order.firstIndex(of: lhs.module)! < order.firstIndex(of: rhs.module)!
    }
}

/// The two low-rank factors of a LoRA adapter.
public enum LoRAMatrix: String, Sendable {
    /// The down projection, `[r, in]`.
    case a = "lora_A"
    /// The up projection, `[out, r]`.
    case b = "lora_B"
}

extension TargetSite {
    /// The sites `targetModules` selects in a model of `layerCount` layers, sorted by layer then module.
    ///
    /// A name selects a module when it equals the module's full name or is a dot-separated
    /// suffix of it, as PEFT matches a list of `target_modules`; every name must select something.
    public static func resolve(_ targetModules: [String], layerCount: Int) throws(LoRAError) -> [TargetSite] {
        var sites: Set<TargetSite> = []
        var unmatched: [String] = []
        for name in targetModules {
            let matches = (0..<layerCount).flatMap { layer in
                TargetModule.allCases.compactMap { module -> TargetSite? in
                    let full = module.moduleName(layer: layer)
                    return full == name || full.hasSuffix("." + name) ? TargetSite(layer: layer, module: module) : nil
                }
            }
            if matches.isEmpty { unmatched.append(name) } else { sites.formUnion(matches) }
        }
        guard unmatched.isEmpty else {
            throw .unknownTargetModules(requested: unmatched, available: TargetModule.shortNames)
        }
        return sites.sorted()
    }
}
