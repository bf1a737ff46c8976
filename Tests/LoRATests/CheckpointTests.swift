import Foundation
import Testing
@testable import LoRA

@Suite("checkpoints")
struct CheckpointTests {
    /// A checkpoint after `step` AdamW steps on a fresh two-site adapter.
    static func checkpoint(step: Int) -> Checkpoint {
        var rng = RandomGenerator(seed: 3)
        let sites = [TargetSite(layer: 0, module: .query), TargetSite(layer: 1, module: .intermediate)]
        var parameters = LoRAInitialization.parameters(sites: sites, rank: 2, hiddenSize: 4, intermediateSize: 8, rng: &rng)
        var optimizer = AdamW()
        for _ in 0..<step {
            for index in parameters.indices {
                parameters[index].gradient = parameters[index].value.indices.map { _ in rng.uniform(-1, 1) }
            }
            optimizer.step(&parameters, learningRate: 1e-3)
        }
        let order = rng.permutation(of: 12)
        let state = TrainerState(
            globalStep: step, epoch: 1, batchIndex: 5, dataOrder: order, random: rng.state,
            scheduler: LearningRateScheduler(kind: .cosine, baseRate: 2e-4, warmupSteps: 2, totalSteps: 40),
            bestEvalLoss: 0.1 + 1e-17 * Double(step), patienceCounter: 1, configFingerprint: "sha256:abc")
        let adapter = PEFTAdapter(config: .init(rank: 2, alpha: 4, targetModules: ["query", "intermediate.dense"]),
                                  parameters: parameters.map { Parameter(name: $0.name, shape: $0.shape, value: $0.value) })
        return Checkpoint(adapter: adapter, optimizer: optimizer.state, trainerState: state)
    }

    static func bits(_ checkpoint: Checkpoint) -> [[UInt32]] {
        checkpoint.adapter.parameters.map { $0.value.map(\.bitPattern) }
            + checkpoint.optimizer.moments.flatMap { [$0.firstMoment.map(\.bitPattern), $0.secondMoment.map(\.bitPattern)] }
    }

    @Test("a checkpoint reads back bit for bit: weights, moments, step, data order, random state and schedule")
    func roundTrip() throws {
        let directory = TemporaryDirectory()
        let checkpoint = Self.checkpoint(step: 3)
        let path = try checkpoint.write(toOutput: directory.path + "/out")
        #expect(path == directory.path + "/out/checkpoint-3")
        #expect(try FileManager.default.contentsOfDirectory(atPath: path).sorted()
            == ["adapter_config.json", "adapter_model.safetensors", "optimizer.safetensors", "trainer_state.json"])
        let read = try Checkpoint(contentsOf: path)
        #expect(read == checkpoint)
        #expect(Self.bits(read) == Self.bits(checkpoint))
        #expect(try SafetensorsFile(path: path + "/optimizer.safetensors").names.contains(
            "exp_avg_sq.base_model.model.encoder.layer.1.intermediate.dense.lora_B.weight"))
        var resumed = RandomGenerator(state: read.trainerState.random)
        var original = RandomGenerator(state: checkpoint.trainerState.random)
        #expect(resumed.next() == original.next())
    }

    @Test("a checkpoint before the first step has no moments and reads back so")
    func stepZero() throws {
        let directory = TemporaryDirectory()
        let checkpoint = Self.checkpoint(step: 0)
        #expect(try Checkpoint(contentsOf: checkpoint.write(toOutput: directory.path)) == checkpoint)
    }

    @Test("list and latest order checkpoints by step and ignore half-written ones; prune keeps the newest")
    func listAndPrune() throws {
        let directory = TemporaryDirectory()
        for step in [10, 2, 30] { try Self.checkpoint(step: step).write(toOutput: directory.path) }
        try FileManager.default.createDirectory(atPath: directory.path + "/checkpoint-40.tmp-999", withIntermediateDirectories: false)
        try FileManager.default.createDirectory(atPath: directory.path + "/checkpoint-30.tmp-998-old", withIntermediateDirectories: false)
        _ = directory.file("checkpoint-50", bytes: [])
        #expect(try Checkpoint.list(directory.path).map(\.step) == [2, 10, 30])
        #expect(try Checkpoint.latest(directory.path) == .init(step: 30, path: directory.path + "/checkpoint-30"))
        try Checkpoint.prune(directory.path, keep: 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
            == ["checkpoint-10", "checkpoint-30", "checkpoint-50"])
        #expect(try Checkpoint.list(directory.path + "/absent").isEmpty)
        #expect(try Checkpoint.latest(directory.path + "/absent") == nil)
    }

    @Test("rewriting a step's checkpoint replaces it")
    func rewrite() throws {
        let directory = TemporaryDirectory()
        var checkpoint = Self.checkpoint(step: 2)
        try checkpoint.write(toOutput: directory.path)
        checkpoint.trainerState.patienceCounter = 3
        let path = try checkpoint.write(toOutput: directory.path)
        #expect(try Checkpoint(contentsOf: path).trainerState.patienceCounter == 3)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["checkpoint-2"])
    }

    /// Writes a step-2 checkpoint, lets `damage` alter it, and returns the reason reading it fails.
    static func failure(_ damage: (String) throws -> Void) throws -> String? {
        let directory = TemporaryDirectory()
        let path = try Self.checkpoint(step: 2).write(toOutput: directory.path)
        try damage(path)
        do {
            _ = try Checkpoint(contentsOf: path)
            return nil
        } catch {
            guard case let .invalidCheckpoint(errorPath, reason) = error, errorPath == path else { return "\(error)" }
            return reason.replacingOccurrences(of: path, with: "CKPT")
        }
    }

    static func truncate(_ file: String, by count: Int) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        try data.dropLast(count).write(to: URL(fileURLWithPath: file))
    }

    @Test("a missing file, a truncated tensor file or an inconsistent state gives a clear invalidCheckpoint")
    func refusesDamaged() throws {
        #expect(try Self.failure { try FileManager.default.removeItem(atPath: $0 + "/optimizer.safetensors") }
            == "optimizer.safetensors is missing")
        #expect(try Self.failure { try FileManager.default.removeItem(atPath: $0 + "/adapter_config.json") }
            == "adapter_config.json is missing")
        #expect(try Self.failure { try Self.truncate($0 + "/optimizer.safetensors", by: 4) }?
            .hasPrefix("CKPT/optimizer.safetensors: tensor \"exp_avg_sq.") == true)
        #expect(try Self.failure { try Self.truncate($0 + "/optimizer.safetensors", by: 4) }?
            .hasSuffix("go beyond the 316-byte data buffer (truncated file?)") == true)
        #expect(try Self.failure { try Self.truncate($0 + "/adapter_model.safetensors", by: 4) }?
            .hasPrefix("CKPT/adapter_model.safetensors: tensor ") == true)
        #expect(try Self.failure { try Self.truncate($0 + "/trainer_state.json", by: 10) }?
            .hasPrefix("trainer_state.json is unreadable") == true)
        #expect(try Self.failure { path in
            var state = Self.checkpoint(step: 2).trainerState
            state.globalStep = 5
            try JSONEncoder().encode(state).write(to: URL(fileURLWithPath: path + "/trainer_state.json"))
        } == "trainer_state.json is at step 5 but optimizer.safetensors at step 2")
        #expect(try Self.failure { path in
            var state = Self.checkpoint(step: 2).trainerState
            state.dataOrder[0] = state.dataOrder[1]
            try JSONEncoder().encode(state).write(to: URL(fileURLWithPath: path + "/trainer_state.json"))
        }?.hasPrefix("trainer_state.json: data_order is not a permutation of 0..<12") == true)
        #expect(try Self.failure { path in
            let name = "exp_avg.base_model.model.encoder.layer.0.attention.self.query.lora_A.weight"
            let file = try SafetensorsFile(path: path + "/optimizer.safetensors")
            var tensors: [String: Tensor] = [:]
            for other in file.names where other != name { tensors[other] = Tensor(try file.floats(other), shape: try file.info(other).shape) }
            try SafetensorsWriter.write(tensors, metadata: file.metadata, to: path + "/optimizer.safetensors")
        } == "optimizer.safetensors: tensor \"exp_avg.base_model.model.encoder.layer.0.attention.self.query.lora_A.weight\" is missing")
        let directory = TemporaryDirectory()
        #expect(throws: LoRAError.invalidCheckpoint(path: directory.path + "/checkpoint-9", reason: "no such directory")) {
            try Checkpoint(contentsOf: directory.path + "/checkpoint-9")
        }
    }

    @Test("trainer_state.json uses snake_case keys and the random state as hexadecimal words")
    func stateFile() throws {
        let directory = TemporaryDirectory()
        let path = try Self.checkpoint(step: 1).write(toOutput: directory.path)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path + "/trainer_state.json"))) as? [String: Any])
        #expect(Set(json.keys) == ["global_step", "epoch", "batch_index", "data_order", "rng_state", "lr_scheduler",
                                   "best_eval_loss", "patience_counter", "config_fingerprint"])
        #expect((json["rng_state"] as? [String])?.allSatisfy { $0.count == 16 } == true)
    }
}
