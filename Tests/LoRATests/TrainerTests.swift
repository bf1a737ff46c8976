import Foundation
import Testing
@testable import LoRA

/// Trains the tiny fixture model end to end: config file, CSV, checkpoints, resume and PEFT output.
@Suite("training runs")
struct TrainerTests {
    static let model = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tiny-bert").path

    /// A synthetic paraphrase task the random base model cannot solve: each positive says the
    /// anchor's words through a fixed word-for-word substitution into a disjoint vocabulary.
    static func paraphrases(count: Int, seed: UInt64) -> [SentencePair] {
        let words = ["the", "cat", "sat", "on", "mat", "is", "sitting", "runs", "fast", "animal", "running", "hello", "hi",
                     "there", "how", "do", "reset", "my", "password", "forgot"]
        let synonyms = ["can", "change", "it", "weather", "today", "sunny", "and", "warm", "with", "light", "from", "sea",
                        "day", "salt", "pepper", "black", "each", "to", "coffee", "cup"]
        var random = RandomGenerator(seed: seed)
        return (0..<count).map { _ in
            let picks = (0..<4).map { _ in random.nextInt(below: words.count) }
            return SentencePair(
                anchor: picks.map { words[$0] }.joined(separator: " "), positive: picks.map { synonyms[$0] }.joined(separator: " "))
        }
    }

    static func csv(_ pairs: [SentencePair]) -> String {
        "anchor,positive\n" + pairs.map { "\($0.anchor),\($0.positive)\n" }.joined()
    }

    /// Writes pairs and a config into `directory` and loads it as the CLI does.
    static func config(in directory: TemporaryDirectory, pairs: Int = 128, extra: String = "") throws -> TrainingConfig {
        _ = directory.file("pairs.csv", bytes: Array(csv(paraphrases(count: pairs, seed: 7)).utf8))
        let yaml = """
            base_model: \(model)
            metadata_path: pairs.csv
            output_dir: out
            lora_rank: 8
            lora_alpha: 16
            lora_dropout: 0.1
            target_modules: [query, key, value, attention.output.dense, intermediate.dense, output.dense]
            batch_size: 16
            learning_rate: 0.005
            lr_scheduler: cosine
            warmup_steps: 5
            max_steps: 60
            max_seq_length: 16
            eval_split: 0.25
            seed: 3
            threads: 1
            \(extra)
            """
        let path = directory.file("train.yaml", bytes: Array(yaml.utf8))
        return try TrainingConfig.load(path: path, environment: [:]).config
    }

    @Test("training on paraphrases lowers the held-out loss and raises top-1 retrieval accuracy")
    func learns() throws {
        let directory = TemporaryDirectory()
        let config = try Self.config(in: directory)
        var events: [TrainingEvent] = []
        let summary = try Trainer(config: config).run(report: { events.append($0) })
        let before = try #require(summary.evaluationBefore)
        let after = try #require(summary.evaluationAfter)
        #expect(summary.steps == 60)
        #expect(after.loss < before.loss * 0.7, "eval loss \(before.loss) → \(after.loss)")
        #expect(after.accuracy > before.accuracy + 0.2, "accuracy \(before.accuracy) → \(after.accuracy)")
        #expect(events.filter { if case .stepped = $0 { true } else { false } }.count == 60)

        // The output is a PEFT adapter that loads back and embeds as the trained weights do.
        let peft = try PEFTAdapter(contentsOf: config.outputDir)
        #expect(peft.config.rank == 8 && peft.parameters.count == 24)
        let lines = try String(contentsOfFile: config.outputDir + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 60 + 2)
    }

    @Test("a run stopped and resumed from its checkpoint ends with the same adapter bytes as an uninterrupted run")
    func resumesExactly() throws {
        let straight = TemporaryDirectory()
        let straightConfig = try Self.config(in: straight, extra: "save_steps: 10")
        _ = try Trainer(config: straightConfig).run()

        let interrupted = TemporaryDirectory()
        let config = try Self.config(in: interrupted, extra: "save_steps: 10")
        var steps = 0
        let first = try Trainer(config: config).run(
            shouldStop: { steps >= 25 }, report: { event in if case .stepped = event { steps += 1 } })
        #expect(first.interrupted && first.steps == 25)
        let second = try Trainer(config: config).run(resume: .latest)
        #expect(second.steps == 60 && !second.interrupted)

        let expected = try Data(contentsOf: URL(fileURLWithPath: straightConfig.outputDir + "/adapter_model.safetensors"))
        let actual = try Data(contentsOf: URL(fileURLWithPath: config.outputDir + "/adapter_model.safetensors"))
        #expect(expected == actual)
        #expect(try Checkpoint.list(config.outputDir).map(\.step) == [40, 50, 60])
    }

    @Test("resuming with changed settings names what changed")
    func refusesChangedSettings() throws {
        let directory = TemporaryDirectory()
        let config = try Self.config(in: directory, extra: "save_steps: 10")
        var steps = 0
        _ = try Trainer(config: config).run(shouldStop: { steps >= 10 }, report: { if case .stepped = $0 { steps += 1 } })
        var changed = config
        changed.learningRate = 0.001
        #expect {
            _ = try Trainer(config: changed).run(resume: .latest)
        } throws: { error in
            "\(error)".contains("learning_rate: 0.005 → 0.001")
        }
    }
}
