import Foundation
import Testing

/// `lora-train train` as a user runs it: bad configs are refused whole, good ones train and report.
@Suite("lora-train train")
struct TrainCommandTests {
    static func workspace(_ config: String, pairs: Int = 12) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lora-train-cmd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let rows = (0..<pairs).map { "the cat sat \($0),\"hello, there \($0)\"" }
        try (["anchor,positive"] + rows).joined(separator: "\n").write(
            to: directory.appendingPathComponent("pairs.csv"), atomically: true, encoding: .utf8)
        try config.write(to: directory.appendingPathComponent("train.yaml"), atomically: true, encoding: .utf8)
        return directory
    }

    static let model = LoRATrainRun.repository.appendingPathComponent(LoRATrainRun.tinyModel).path

    @Test("an invalid config prints every problem with its place, exits 1 and creates no output directory")
    func invalidConfig() throws {
        let directory = try Self.workspace("""
            base_model: \(Self.model)
            metadata_path: pairs.csv
            output_dir: out
            lora_rank: 1024
            target_modules: [q_proj, v_proj]
            learning_rate: 3
            lr_scheduler: cosine_annealing
            """)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("train.yaml").path
        let run = try LoRATrainRun(["train", config])
        #expect(run.status == 1)
        #expect(run.stderr.contains("train.yaml:4:12: lora_rank: 1024 exceeds the model's hidden size 32 (valid: 1...32)"))
        #expect(run.stderr.contains("\"q_proj\", \"v_proj\" match no module of this model"))
        #expect(run.stderr.contains("train.yaml:6:16: learning_rate"))
        #expect(run.stderr.contains("train.yaml:7:15: lr_scheduler"))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("out").path))
    }

    @Test("a valid config trains, logs environment overrides, and writes the adapter and metrics")
    func trains() throws {
        let directory = try Self.workspace("""
            base_model: \(Self.model)
            metadata_path: pairs.csv
            output_dir: out
            batch_size: 4
            max_steps: 6
            eval_split: 0.25
            """)
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try LoRATrainRun(
            ["train", directory.appendingPathComponent("train.yaml").path], environment: ["LORA_LEARNING_RATE": "0.001"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("learning_rate: 0.0002 → 0.001 (LORA_LEARNING_RATE)"))
        #expect(run.stderr.contains("step 6/6: loss"))
        #expect(run.stdout.contains("trained 6 steps"))
        let out = directory.appendingPathComponent("out").path
        for file in ["adapter_model.safetensors", "adapter_config.json", "metrics.jsonl"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + file), "\(file) missing")
        }
    }
}
