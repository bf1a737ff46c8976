import Foundation

extension PEFTAdapter {
    /// Reads and validates the adapter directory at `path`.
    ///
    /// Every tensor must be a `lora_A` or `lora_B` weight of an encoder layer module (keys with
    /// PEFT's `.default` adapter name are accepted), each site must have both, `lora_A` must be
    /// `[r, in]` and `lora_B` `[out, r]`. Parameters come back named without the adapter name.
    public init(contentsOf path: String) throws(LoRAError) {
        let configPath = path + "/" + Self.configFileName
        let weightsPath = path + "/" + Self.weightsFileName
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .invalidAdapter(path: path, reason: "no such directory")
        }
        for file in [configPath, weightsPath] where !FileManager.default.fileExists(atPath: file) {
            throw .invalidAdapter(path: path, reason: "\((file as NSString).lastPathComponent) is missing")
        }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: configPath)) } catch {
            throw .cannotRead(path: configPath, reason: DurableFiles.describe(error))
        }
        let config = try Config(json: data, path: path)
        let file: SafetensorsFile
        do { file = try SafetensorsFile(path: weightsPath) } catch { throw .safetensors(error) }
        let entries = file.names.map { name in (name, file.tensors[name]!.shape) }
        let keys = try Self.validate(entries, rank: config.rank, path: path)
        var parameters: [Parameter] = []
        for key in keys {
            let values: [Float]
            do { values = try file.floats(key.fileName) } catch { throw .safetensors(error) }
            parameters.append(Parameter(name: key.site.parameterName(key.matrix), shape: key.shape, value: values))
        }
        self.init(config: config, parameters: parameters)
    }

    /// One validated tensor: where it sits, its name in the file and its shape.
    struct Key {
        let site: TargetSite
        let matrix: LoRAMatrix
        let fileName: String
        let shape: [Int]
    }

    /// Checks that `tensors` (name and shape) form a LoRA adapter of `rank`; returns them sorted by site, A before B.
    @discardableResult
    static func validate(_ tensors: [(name: String, shape: [Int])], rank: Int, path: String) throws(LoRAError) -> [Key] {
        guard rank > 0 else { throw .invalidAdapter(path: path, reason: "r is \(rank), not a positive integer") }
        guard !tensors.isEmpty else { throw .invalidAdapter(path: path, reason: "\(weightsFileName) holds no LoRA weights") }
        var keys: [TargetSite: [LoRAMatrix: Key]] = [:]
        for (name, shape) in tensors {
            guard let (site, matrix) = parseName(name) else {
                throw .invalidAdapter(path: path, reason: "tensor \"\(name)\" is not a LoRA weight of an encoder layer "
                    + "(expected base_model.model.encoder.layer.N.MODULE.lora_A.weight or lora_B)")
            }
            let fits = shape.count == 2 && shape.allSatisfy { $0 > 0 } && shape[matrix == .a ? 0 : 1] == rank
            guard fits else {
                throw .invalidAdapter(path: path, reason: "tensor \"\(name)\" has shape \(shape), expected "
                    + (matrix == .a ? "[\(rank), in]" : "[out, \(rank)]") + " for r = \(rank)")
            }
            if let other = keys[site]?[matrix] {
                throw .invalidAdapter(path: path, reason: "tensors \"\(other.fileName)\" and \"\(name)\" are the same weight")
            }
            keys[site, default: [:]][matrix] = Key(site: site, matrix: matrix, fileName: name, shape: shape)
        }
        var sorted: [Key] = []
        for site in keys.keys.sorted() {
            let pair = keys[site]!
            guard let a = pair[.a], let b = pair[.b] else {
                let present = (pair[.a] ?? pair[.b])!
                throw .invalidAdapter(path: path, reason: "tensor \"\(present.fileName)\" has no matching "
                    + (pair[.a] == nil ? "lora_A" : "lora_B"))
            }
            sorted += [a, b]
        }
        return sorted
    }

    /// The site and matrix a PEFT key names, with or without the `.default` adapter name; nil for any other key.
    static func parseName(_ name: String) -> (TargetSite, LoRAMatrix)? {
        let prefix = "base_model.model.encoder.layer.", suffix = ".weight"
        guard name.hasPrefix(prefix), name.hasSuffix(suffix) else { return nil }
        var rest = name.dropFirst(prefix.count).dropLast(suffix.count)
        if rest.hasSuffix(".default") { rest = rest.dropLast(".default".count) }
        guard let dot = rest.firstIndex(of: "."), let layer = Int(rest[..<dot]), String(layer) == rest[..<dot] else { return nil }
        rest = rest[rest.index(after: dot)...]
        for matrix in [LoRAMatrix.a, .b] where rest.hasSuffix("." + matrix.rawValue) {
            guard let module = TargetModule(rawValue: String(rest.dropLast(matrix.rawValue.count + 1))) else { return nil }
            return (TargetSite(layer: layer, module: module), matrix)
        }
        return nil
    }
}
