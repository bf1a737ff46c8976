import Foundation
import Testing
@testable import LoRA

@Suite("PEFT adapter")
struct PEFTAdapterTests {
    static let sites = [TargetSite(layer: 0, module: .query), TargetSite(layer: 0, module: .value), TargetSite(layer: 2, module: .query)]

    static func adapter() -> PEFTAdapter {
        var rng = RandomGenerator(seed: 11)
        var parameters = LoRAInitialization.parameters(sites: sites, rank: 2, hiddenSize: 8, intermediateSize: 16, rng: &rng)
        for index in parameters.indices where index % 2 == 1 {
            parameters[index].value = parameters[index].value.indices.map { Float($0) * 0.01 - 0.05 }
        }
        return PEFTAdapter(config: .init(rank: 2, alpha: 16, dropout: 0.1, targetModules: ["query", "value"],
                                         baseModel: "sentence-transformers/all-MiniLM-L6-v2"), parameters: parameters)
    }

    @Test("an adapter written to a directory reads back with identical config and weights")
    func roundTrip() throws {
        let directory = TemporaryDirectory()
        let path = directory.path + "/adapter"
        let adapter = Self.adapter()
        try adapter.write(to: path)
        let read = try PEFTAdapter(contentsOf: path)
        #expect(read.config == adapter.config)
        #expect(read.parameters.map(\.name) == adapter.parameters.map(\.name))
        #expect(read.parameters.map(\.shape) == adapter.parameters.map(\.shape))
        #expect(read.parameters.map { $0.value.map(\.bitPattern) } == adapter.parameters.map { $0.value.map(\.bitPattern) })
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["adapter"])
        #expect(try SafetensorsFile(path: path + "/adapter_model.safetensors").metadata == ["format": "pt"])
    }

    @Test("adapter_config.json has PEFT's LoRA fields, sorted and pretty-printed as Python writes them")
    func configFile() throws {
        let directory = TemporaryDirectory()
        try Self.adapter().write(to: directory.path + "/adapter")
        let text = try String(contentsOfFile: directory.path + "/adapter/adapter_config.json", encoding: .utf8)
        #expect(text.hasPrefix("{\n  \"alpha_pattern\": {},\n  \"base_model_name_or_path\": \"sentence-transformers/all-MiniLM-L6-v2\",\n"))
        #expect(text.contains("\n  \"lora_alpha\": 16,\n  \"lora_dropout\": 0.1,\n"))
        #expect(text.contains("\n  \"target_modules\": [\n    \"query\",\n    \"value\"\n  ],\n"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(json.keys.sorted() == ["alpha_pattern", "base_model_name_or_path", "bias", "fan_in_fan_out", "inference_mode",
            "init_lora_weights", "layers_pattern", "layers_to_transform", "lora_alpha", "lora_dropout", "modules_to_save",
            "peft_type", "r", "rank_pattern", "revision", "target_modules", "task_type", "use_dora", "use_rslora"])
        #expect(json["peft_type"] as? String == "LORA" && json["task_type"] as? String == "FEATURE_EXTRACTION")
        #expect(json["r"] as? Int == 2 && json["bias"] as? String == "none" && json["modules_to_save"] is NSNull)
    }

    @Test("writing over an existing adapter directory replaces it whole")
    func replacesExisting() throws {
        let directory = TemporaryDirectory()
        let path = directory.path + "/adapter"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        _ = directory.file("adapter/stale.bin", bytes: [1, 2, 3])
        try Self.adapter().write(to: path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: path).sorted() == ["adapter_config.json", "adapter_model.safetensors"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["adapter"])
    }

    /// Writes `tensors` and a config of rank 2 as an adapter directory and returns the error reading it throws.
    static func readError(_ tensors: [String: Tensor], config: String? = nil) throws -> LoRAError? {
        let directory = TemporaryDirectory()
        try SafetensorsWriter.write(tensors, to: directory.path + "/adapter_model.safetensors")
        _ = directory.file("adapter_config.json", bytes: Array((config ?? #"{"peft_type": "LORA", "r": 2, "lora_alpha": 4}"#).utf8))
        do {
            _ = try PEFTAdapter(contentsOf: directory.path)
            return nil
        } catch {
            guard case let .invalidAdapter(path, reason) = error else { return error }
            return .invalidAdapter(path: path == directory.path ? "DIR" : path, reason: reason)
        }
    }

    static let a = "base_model.model.encoder.layer.1.attention.self.key.lora_A.weight"
    static let b = "base_model.model.encoder.layer.1.attention.self.key.lora_B.weight"

    @Test("an adapter written by PEFT 0.21 (Fixtures/tiny-adapter) reads with its config and every site paired")
    func readsPEFTFixture() throws {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/tiny-adapter").path
        let adapter = try PEFTAdapter(contentsOf: fixture)
        #expect(adapter.config.rank == 4 && adapter.config.alpha == 8 && adapter.config.dropout == 0)
        #expect(adapter.config.targetModules.contains("attention.output.dense"))
        #expect(adapter.parameters.count % 2 == 0 && !adapter.parameters.isEmpty)
        #expect(adapter.parameters.allSatisfy { $0.shape[$0.name.contains("lora_A") ? 0 : 1] == 4 })
    }

    @Test("keys with PEFT's .default adapter name are accepted and renamed")
    func acceptsDefaultInfix() throws {
        let directory = TemporaryDirectory()
        try SafetensorsWriter.write([
            Self.a.replacingOccurrences(of: ".weight", with: ".default.weight"): Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3]),
            Self.b.replacingOccurrences(of: ".weight", with: ".default.weight"): Tensor([0, 0, 0, 0], shape: [2, 2]),
        ], to: directory.path + "/adapter_model.safetensors")
        _ = directory.file("adapter_config.json", bytes: Array(#"{"peft_type": "LORA", "r": 2, "target_modules": "key"}"#.utf8))
        let adapter = try PEFTAdapter(contentsOf: directory.path)
        #expect(adapter.parameters.map(\.name) == [Self.a, Self.b])
        #expect(adapter.config == .init(rank: 2, alpha: 8, targetModules: ["key"]))
    }

    @Test("malformed adapters are refused with the tensor or field named")
    func refusesMalformed() throws {
        let good = Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3]), zeros = Tensor([0, 0, 0, 0], shape: [2, 2])
        #expect(try Self.readError([Self.a: good, Self.b: zeros]) == nil)
        #expect(try Self.readError([Self.a: good]) == .invalidAdapter(path: "DIR", reason: "tensor \"\(Self.a)\" has no matching lora_B"))
        #expect(try Self.readError([Self.a: Tensor([1, 2, 3], shape: [3, 1]), Self.b: zeros])
            == .invalidAdapter(path: "DIR", reason: "tensor \"\(Self.a)\" has shape [3, 1], expected [2, in] for r = 2"))
        let stray = "base_model.model.encoder.layer.1.attention.self.key.weight"
        #expect(try Self.readError([Self.a: good, Self.b: zeros, stray: zeros]) == .invalidAdapter(path: "DIR", reason:
            "tensor \"\(stray)\" is not a LoRA weight of an encoder layer (expected base_model.model.encoder.layer.N.MODULE.lora_A.weight or lora_B)"))
        #expect(try Self.readError([Self.a: good, Self.b: zeros], config: #"{"peft_type": "IA3", "r": 2}"#)
            == .invalidAdapter(path: "DIR", reason: "peft_type is \"IA3\", not \"LORA\""))
        #expect(try Self.readError([Self.a: good, Self.b: zeros], config: #"{"peft_type": "LORA", "r": 0}"#)
            == .invalidAdapter(path: "DIR", reason: "r is 0, not a positive integer"))
        let directory = TemporaryDirectory()
        #expect(throws: LoRAError.invalidAdapter(path: directory.path, reason: "adapter_config.json is missing")) {
            try PEFTAdapter(contentsOf: directory.path)
        }
    }
}
