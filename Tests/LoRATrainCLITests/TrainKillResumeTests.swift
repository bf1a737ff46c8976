import Foundation
import Testing

/// Runs the built `lora-train` binary as a user would: train, kill it hard, resume.
@Suite("lora-train train, killed and resumed", .serialized)
struct TrainKillResumeTests {
    static let repository = LoRATrainRun.repository
    static let binary = LoRATrainRun.binary

    /// A directory with a training config over the tiny fixture model and 200 synthetic pairs.
    static func workspace(maxSteps: Int = 40) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lora-train-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let words = ["the", "cat", "sat", "on", "mat", "is", "runs", "fast", "hello", "hi", "how", "do"]
        var lines = ["anchor,positive"]
        for index in 0..<200 {
            let picks = (0..<4).map { words[(index * 7 + $0 * 5 + $0 * index) % words.count] }
            lines.append("\(picks.joined(separator: " ")),\"\(picks.reversed().joined(separator: " ")), \(index % 9)\"")
        }
        try (lines.joined(separator: "\n") + "\n").write(to: directory.appendingPathComponent("pairs.csv"), atomically: true, encoding: .utf8)
        let model = repository.appendingPathComponent("Tests/LoRATests/Fixtures/tiny-bert").path
        try """
            base_model: \(model)
            metadata_path: pairs.csv
            output_dir: out
            lora_dropout: 0.1
            target_modules: [query, value, output.dense]
            batch_size: 8
            gradient_accumulation_steps: 2
            max_steps: \(maxSteps)
            save_steps: 3
            save_total_limit: 2
            threads: 1
            seed: 11
            """.write(to: directory.appendingPathComponent("train.yaml"), atomically: true, encoding: .utf8)
        return directory
    }

    static func start(_ arguments: [String], in directory: URL) throws -> Process {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func run(_ arguments: [String], in directory: URL) throws -> Int32 {
        let process = try start(arguments, in: directory)
        process.waitUntilExit()
        return process.terminationStatus
    }

    static func adapterBytes(_ directory: URL) throws -> Data {
        try Data(contentsOf: directory.appendingPathComponent("out/adapter_model.safetensors"))
    }

    /// The number of steps in metrics.jsonl (each step and evaluation is one line).
    static func loggedSteps(_ directory: URL) -> Int {
        guard let text = try? String(contentsOf: directory.appendingPathComponent("out/metrics.jsonl"), encoding: .utf8) else {
            return 0
        }
        return text.split(separator: "\n").filter { $0.contains("\"loss\"") }.count
    }

    @Test("a run killed with SIGKILL at varied points and resumed with --resume latest ends with the uninterrupted run's adapter bytes",
          arguments: [4, 13, 29])
    func killAndResume(afterStep step: Int) throws {
        let straight = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: straight) }
        #expect(try Self.run(["train", "train.yaml"], in: straight) == 0)

        let killed = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: killed) }
        let process = try Self.start(["train", "train.yaml"], in: killed)
        let deadline = Date().addingTimeInterval(60)
        while Self.loggedSteps(killed) < step, process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.002) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the run ended before step \(step)")
        #expect(!FileManager.default.fileExists(atPath: killed.appendingPathComponent("out/adapter_model.safetensors").path))

        let checkpoints = try FileManager.default.contentsOfDirectory(atPath: killed.appendingPathComponent("out").path)
        let resume = checkpoints.contains { $0.hasPrefix("checkpoint-") && !$0.contains(".tmp") } ? ["--resume", "latest"] : []
        #expect(!resume.isEmpty, "killed after step \(step) with no checkpoint written")
        #expect(try Self.run(["train", "train.yaml"] + resume, in: killed) == 0)
        #expect(try Self.adapterBytes(killed) == Self.adapterBytes(straight))
    }

    @Test("SIGTERM writes a checkpoint and exits 143; --resume latest finishes the run")
    func terminateAndResume() throws {
        // 40 steps of the tiny model take a fraction of a second; 2,000 leave time to signal.
        let directory = try Self.workspace(maxSteps: 2000)
        defer { try? FileManager.default.removeItem(at: directory) }
        let process = try Self.start(["train", "train.yaml"], in: directory)
        let out = directory.appendingPathComponent("out").path
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, process.isRunning,
              !((try? FileManager.default.contentsOfDirectory(atPath: out))?.contains { $0.hasPrefix("checkpoint-") } ?? false) {
            Thread.sleep(forTimeInterval: 0.01)
        }
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 143, "the run ended before the signal: \(Self.loggedSteps(directory)) steps logged")
        #expect(try Self.run(["train", "train.yaml", "--resume", "latest"], in: directory) == 0)
        #expect(FileManager.default.fileExists(atPath: out + "/adapter_model.safetensors"))
    }
}
