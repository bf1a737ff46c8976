import Foundation
import LoRA
import Testing
@testable import LoRAService

/// A service layout in a fresh temporary directory, with the tiny BERT fixture as the model; removed when done.
final class JobFixture {
    let root: String
    let paths: JobPaths

    /// The tiny BERT (hidden 32, 2 layers) that LoRATests keeps.
    static let model = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("LoRATests/Fixtures/tiny-bert").path

    init() {
        root = NSTemporaryDirectory() + "lora-service-tests-" + UUID().uuidString
        paths = JobPaths(modelDirectory: Self.model, dataRoot: root + "/data", outputRoot: root + "/out", stateDirectory: root + "/state")
        try? FileManager.default.createDirectory(atPath: paths.dataRoot, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// Eight pairs over the fixture's vocabulary.
    static let pairs: [(String, String)] = [
        ("reset my password", "forgot password"), ("change it", "can change it"), ("weather today", "sunny and warm"),
        ("light from sea", "sea day"), ("salt", "pepper"), ("black coffee", "coffee cup"), ("each day", "to day"),
        ("warm light", "sunny weather"),
    ]

    /// `"pairs": [...]` with the first `count` pairs.
    static func pairsJSON(_ count: Int = 8) -> String {
        "\"pairs\": [" + pairs.prefix(count).map { "{\"anchor\": \"\($0.0)\", \"positive\": \"\($0.1)\"}" }.joined(separator: ", ") + "]"
    }

    /// A body with `settings` (JSON members text) and inline pairs.
    static func body(_ settings: String, pairs count: Int = 8) -> [UInt8] {
        Array(("{" + settings + (settings.isEmpty ? "" : ", ") + pairsJSON(count) + "}").utf8)
    }

    /// Writes the pairs as a CSV under the data root.
    func writeData(_ name: String) throws {
        let text = "anchor,positive\n" + Self.pairs.map { "\($0.0),\($0.1)" }.joined(separator: "\n") + "\n"
        let path = paths.dataRoot + "/" + name
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Whether anything was written under the output root.
    var outputIsEmpty: Bool { ((try? FileManager.default.contentsOfDirectory(atPath: paths.outputRoot)) ?? []).isEmpty }
}

/// The problems decoding `body` reports, or [] when it is valid.
func problems(_ body: [UInt8], _ fixture: JobFixture) -> [String] {
    do {
        _ = try JobSpec(json: body, paths: fixture.paths)
        return []
    } catch {
        guard case .invalidSpec(let problems) = error else { return ["unexpected: \(error)"] }
        return problems
    }
}

@Suite("job specs")
struct JobSpecTests {
    let id = JobID("0123456789abcdef0123")!

    @Test("inline pairs become the job's pairs.csv in its own output directory, on the service's model")
    func inlinePairs() throws {
        let fixture = JobFixture()
        let spec = try JobSpec(json: JobFixture.body("\"lora_rank\": 4, \"max_steps\": 5, \"batch_size\": 4"), paths: fixture.paths)
        #expect(spec.settings == "{\"lora_rank\": 4, \"max_steps\": 5, \"batch_size\": 4}")
        guard case .pairs(let pairs) = spec.data else { Issue.record("expected inline pairs"); return }
        #expect(pairs.count == 8 && pairs[0] == SentencePair(anchor: "reset my password", positive: "forgot password"))
        let config = try spec.trainingConfig(id: id, paths: fixture.paths)
        #expect(config.baseModel == JobFixture.model)
        #expect(config.outputDir == fixture.paths.outputRoot + "/jobs/0123456789abcdef0123")
        #expect(config.metadataPath == config.outputDir + "/pairs.csv")
        #expect(config.loraRank == 4 && config.maxSteps == 5 && config.batchSize == 4)
        #expect(config.maxSeqLength == 64, "an unset max_seq_length is capped by the model, as lora-train train does")
        #expect(fixture.outputIsEmpty)
    }

    @Test("data_path names a CSV under the data root")
    func dataPath() throws {
        let fixture = JobFixture()
        try fixture.writeData("sets/pairs.csv")
        let spec = try JobSpec(json: Array("{\"data_path\": \"sets/pairs.csv\", \"epochs\": 2}".utf8), paths: fixture.paths)
        #expect(spec.data == .dataPath("sets/pairs.csv"))
        let config = try spec.trainingConfig(id: id, paths: fixture.paths)
        #expect(config.metadataPath == fixture.paths.dataRoot + "/sets/pairs.csv")
        #expect(config.epochs == 2)
    }

    @Test("a data_path that leaves the data root is refused", arguments: [
        ("../secret.csv", "data_path: ../secret.csv contains \"..\"; give a path under the data root"),
        ("sets/../../secret.csv", "data_path: sets/../../secret.csv contains \"..\"; give a path under the data root"),
        ("/etc/passwd", "data_path: /etc/passwd is absolute; give a path relative to the data root"),
    ])
    func escapes(path: String, message: String) throws {
        let fixture = JobFixture()
        #expect(problems(Array("{\"data_path\": \"\(path)\"}".utf8), fixture) == [message])
    }

    @Test("a data_path through a symbolic link out of the data root is refused")
    func symbolicLinkEscape() throws {
        let fixture = JobFixture()
        try FileManager.default.createDirectory(atPath: fixture.root + "/elsewhere", withIntermediateDirectories: true)
        try "anchor,positive\na,b\nc,d\n".write(toFile: fixture.root + "/elsewhere/x.csv", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: fixture.paths.dataRoot + "/link", withDestinationPath: fixture.root + "/elsewhere")
        #expect(problems(Array("{\"data_path\": \"link/x.csv\"}".utf8), fixture)
                == ["data_path: link/x.csv leads outside the data root through a symbolic link"])
    }

    @Test("base_model may repeat the service's model but not name another")
    func baseModel() throws {
        let fixture = JobFixture()
        #expect(problems(JobFixture.body("\"base_model\": \"\(JobFixture.model)\""), fixture).isEmpty)
        #expect(problems(JobFixture.body("\"base_model\": \"/models/other\""), fixture) == [
            "base_model: \"/models/other\" is not the service's model \(JobFixture.model); a job trains on the loaded model, so leave base_model out",
        ])
        #expect(problems(JobFixture.body("\"output_dir\": \"/tmp/x\""), fixture)
                == ["output_dir: the service writes each job to OUTPUT_ROOT/jobs/<id>; leave output_dir out"])
    }

    @Test("an invalid config is answered with lora-train train's messages, positioned in the body, and writes nothing")
    func invalidConfig() throws {
        let fixture = JobFixture()
        let body = "{" + JobFixture.pairsJSON() + ",\n \"lora_rank\": 1024, \"lora_rnak\": 2,\n \"lr_scheduler\": \"step\"}"
        #expect(problems(Array(body.utf8), fixture) == [
            "request:2:21: unknown key \"lora_rnak\" in the training config; did you mean \"lora_rank\"?",
            "request:3:18: lr_scheduler must be one of constant, constant_with_warmup, linear, cosine; got \"step\"",
            "request:2:15: lora_rank: 1024 exceeds the model's hidden size 32 (valid: 1...32)",
        ])
        #expect(fixture.outputIsEmpty)
        #expect(!FileManager.default.fileExists(atPath: fixture.paths.outputRoot))
    }

    @Test("too few pairs, an empty anchor and a missing data source are each reported")
    func dataProblems() {
        let fixture = JobFixture()
        #expect(problems(JobFixture.body("", pairs: 1), fixture)
                == ["pairs: has 1 pair; training needs at least 2, each the other's negative"])
        #expect(problems(Array("{\"pairs\": [{\"anchor\": \" \", \"positive\": \"x\"}, {\"anchor\": \"a\"}]}".utf8), fixture) == [
            "pairs[0].anchor: expected a non-empty string", "pairs[1].positive: expected a non-empty string",
        ])
        #expect(problems(Array("{\"eval_split\": 0.8, \(JobFixture.pairsJSON(3))}".utf8), fixture)
                == ["eval_split: 0.8 holds out 3 of 3 pairs, leaving 0 for training; at least 2 are needed"])
        #expect(problems(Array("{}".utf8), fixture).first?.hasPrefix("missing the training data") == true)
        #expect(problems(Array("{\"data_path\": \"none.csv\"}".utf8), fixture) == ["data_path: none.csv does not exist under the data root"])
    }

    @Test("a body that is not a JSON object is malformed, not invalid", arguments: ["{\"lora_rank\": ", "[1, 2]", "", "lora_rank: 4"])
    func malformed(body: String) {
        let fixture = JobFixture()
        #expect {
            _ = try JobSpec(json: Array(body.utf8), paths: fixture.paths)
        } throws: { error in
            guard case .malformedRequest = error as? JobError else { return false }
            return true
        }
    }

    @Test("texts with quotes, commas and line breaks survive the CSV round trip")
    func csvRoundTrip() throws {
        let pairs = [SentencePair(anchor: "a \"quoted\", text", positive: "two\nlines"), SentencePair(anchor: "é", positive: "x,y")]
        #expect(try PairsCSV.parse(JobData.csv(pairs), path: "pairs") == pairs)
    }
}
