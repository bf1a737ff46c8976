import Foundation
import Testing
@testable import LoRA

/// A directory holding a tiny model (config.json plus empty weights and vocabulary), a pairs CSV
/// under data/ and the config files a test writes.
private final class TrainingFixture {
    let directory = TemporaryDirectory()
    var root: String { directory.path }

    /// The lines that name the model, the data and the output, in the flat form.
    static let files = "base_model: model\ntrain_data_dir: data\nmetadata_path: pairs.csv\noutput_dir: out\n"

    init(pairs: Int = 4) {
        let model = #"{"hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 64, "#
            + #""max_position_embeddings": 64, "vocab_size": 100}"#
        write("model/config.json", model)
        write("model/model.safetensors", "")
        write("model/vocab.txt", "")
        write("data/pairs.csv", "anchor,positive\n" + (0..<pairs).map { "query \($0),passage \($0)\n" }.joined())
    }

    func write(_ name: String, _ text: String) {
        let path = root + "/" + name
        try? FileManager.default.createDirectory(atPath: TrainingConfig.directory(of: path), withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    }

    /// Writes `yaml` to train.yaml and returns its path.
    func config(_ yaml: String) -> String {
        write("train.yaml", yaml)
        return root + "/train.yaml"
    }

    /// Loads `yaml` as train.yaml; the config and overrides, or the problems.
    func load(_ yaml: String, environment: [String: String] = [:]) -> Result<(TrainingConfig, [ConfigOverride]), LoRAError> {
        let path = config(yaml)
        do { return .success(try TrainingConfig.load(path: path, environment: environment)) } catch { return .failure(error) }
    }

    /// The problems loading `yaml` reports (empty when it loads).
    func problems(_ yaml: String, environment: [String: String] = [:]) -> [String] {
        guard case .failure(.invalidConfig(_, let problems)) = load(yaml, environment: environment) else { return [] }
        return problems.map { $0.replacingOccurrences(of: root + "/", with: "") }
    }
}

@Suite("Training config")
struct TrainingConfigTests {
    @Test("a flat config sets its keys, keeps the defaults and resolves paths against the config's directory")
    func flatConfig() throws {
        let fixture = TrainingFixture()
        let yaml = TrainingFixture.files + """
            lora_rank: 16
            lora_alpha: 32
            target_modules: [query, key, value]
            learning_rate: 1e-4
            lr_scheduler: cosine
            max_steps: 50
            eval_split: 0.25
            threads: 2
            """
        let (config, overrides) = try fixture.load(yaml).get()
        #expect(overrides.isEmpty)
        #expect(config.baseModel == fixture.root + "/model")
        #expect(config.trainDataDir == fixture.root + "/data")
        #expect(config.metadataPath == fixture.root + "/data/pairs.csv")
        #expect(config.outputDir == fixture.root + "/out")
        #expect(config.loraRank == 16 && config.loraAlpha == 32 && config.learningRate == 1e-4)
        #expect(config.targetModules == ["query", "key", "value"])
        #expect(config.lrScheduler == .cosine && config.maxSteps == 50 && config.evalSplit == 0.25 && config.threads == 2)
        #expect(config.loraDropout == 0.1 && config.batchSize == 16 && config.epochs == 1)
        #expect(config.maxSeqLength == 64, "the default 128 is lowered to the model's max_position_embeddings")
        #expect(config.similarityScale == 20 && config.seed == 42 && config.saveTotalLimit == 3 && config.weightDecay == 0.01)
        #expect(!FileManager.default.fileExists(atPath: config.outputDir), "loading must not create the output directory")
    }

    @Test("the nested form with model_config and training_config reads the same as the flat form")
    func nestedConfig() throws {
        let fixture = TrainingFixture()
        let flat = try fixture.load(TrainingFixture.files + "lora_rank: 4\nbatch_size: 8\ntarget_modules: query,value\n").get().0
        let nested = try fixture.load("""
            model_config:
              base_model: model
              lora_rank: 4
              target_modules: [query, value]
            training_config:
              train_data_dir: data
              metadata_path: pairs.csv
              output_dir: out
              batch_size: 8
            """).get().0
        #expect(nested.loraRank == flat.loraRank && nested.batchSize == flat.batchSize)
        #expect(nested.targetModules == flat.targetModules && nested.metadataPath == flat.metadataPath)
        #expect(nested.baseModel == flat.baseModel && nested.outputDir == flat.outputDir)
    }

    @Test("a key given in two sections is an error naming both places")
    func keyGivenTwice() {
        let problems = TrainingFixture().problems(TrainingFixture.files + "lora_rank: 4\ntraining_config:\n  lora_rank: 8\n")
        #expect(problems == ["train.yaml:7:3: lora_rank is given twice; first at line 5, column 1"])
    }

    @Test("an unknown key is an error suggesting the key meant")
    func unknownKey() {
        let problems = TrainingFixture().problems(TrainingFixture.files + "learning_rat: 1e-4\nmodel_confg:\n  lora_rank: 4\n")
        #expect(problems == [
            "train.yaml:5:1: unknown key \"learning_rat\" in the training config; did you mean \"learning_rate\"?",
            "train.yaml:6:1: unknown key \"model_confg\" in the training config; did you mean \"model_config\"?",
        ])
    }

    @Test("a value of the wrong type names the expected type and its place")
    func wrongTypes() {
        let problems = TrainingFixture().problems(TrainingFixture.files + """
            lora_rank: eight
            learning_rate: fast
            target_modules: {query: true}
            lr_scheduler: cosin
            """)
        #expect(problems == [
            "train.yaml:5:12: lora_rank must be an integer; got \"eight\"",
            "train.yaml:6:16: learning_rate must be a number; got \"fast\"",
            "train.yaml:7:17: target_modules must be a list of module names or a comma-separated string; got a mapping",
            "train.yaml:8:15: lr_scheduler must be one of constant, constant_with_warmup, linear, cosine; got \"cosin\" "
                + "(did you mean \"cosine\"?)",
        ])
    }

    @Test("missing required keys are each named")
    func missingKeys() {
        let problems = TrainingFixture().problems("lora_rank: 4\nbase_modle: model\n")
        #expect(problems == [
            "train.yaml:2:1: unknown key \"base_modle\" in the training config; did you mean \"base_model\"?",
            "train.yaml: missing required key \"metadata_path\" (or set LORA_METADATA_PATH)",
            "train.yaml: missing required key \"output_dir\" (or set LORA_OUTPUT_DIR)",
        ])
    }

    @Test("a LORA_ variable wins over the file and is reported with the old and new value")
    func environmentOverride() throws {
        let fixture = TrainingFixture()
        let environment = ["LORA_LEARNING_RATE": "1e-4", "LORA_TARGET_MODULES": "query, key", "PATH": "/bin"]
        let (config, overrides) = try fixture.load(TrainingFixture.files + "learning_rate: 3e-4\n", environment: environment).get()
        #expect(config.learningRate == 1e-4)
        #expect(config.targetModules == ["query", "key"])
        #expect(overrides.map(\.description) == [
            "target_modules: query,value → query,key (LORA_TARGET_MODULES)",
            "learning_rate: 0.0003 → 0.0001 (LORA_LEARNING_RATE)",
        ])
    }

    @Test("the decoder is a pure function of the text and the environment")
    func pureDecoding() {
        let decoded = TrainingConfig.decode(
            yaml: Array("base_model: /m\nmetadata_path: p.csv\n".utf8), path: "conf/train.yaml",
            environment: ["LORA_OUTPUT_DIR": "out", "LORA_MAX_STEPS": "100"], onlineCPUs: 3)
        #expect(decoded.problems.isEmpty)
        #expect(decoded.config?.threads == 3 && decoded.config?.maxSteps == 100)
        #expect(decoded.config?.baseModel == "/m" && decoded.config?.metadataPath == "conf/p.csv")
        #expect(decoded.config?.outputDir == "conf/out" && decoded.config?.trainDataDir == "conf")
        #expect(decoded.overrides.map(\.description) == ["output_dir:  → out (LORA_OUTPUT_DIR)", "max_steps: unset → 100 (LORA_MAX_STEPS)"])
    }

    @Test("an unparsable or misspelt override is a problem naming the variable")
    func badOverride() {
        let problems = TrainingFixture().problems(
            TrainingFixture.files, environment: ["LORA_BATCH_SIZE": "lots", "LORA_LERNING_RATE": "1", "LORA_HOME": "/x"])
        #expect(problems == [
            "LORA_BATCH_SIZE (environment): batch_size must be an integer; got \"lots\"",
            "LORA_LERNING_RATE (environment): not a training config variable; did you mean LORA_LEARNING_RATE?",
        ])
    }

    @Test("every bad value is reported at once, each with its place")
    func everyProblemAtOnce() {
        let problems = TrainingFixture().problems(TrainingFixture.files + """
            lora_dropout: 1.5
            batch_size: 1
            learning_rate: 0
            threads: 1000
            """)
        #expect(problems == [
            "train.yaml:5:15: lora_dropout: 1.5 is out of range (valid: 0 <= x < 1)",
            "train.yaml:6:13: batch_size: 1 is too small: each anchor's negatives are the other pairs of its batch (valid: 2...4096)",
            "train.yaml:7:16: learning_rate: 0.0 is out of range (valid: 0 < x <= 1)",
            "train.yaml:8:10: threads: 1000 is out of range (valid: 1...256)",
        ])
    }

    @Test("a rank above the model's hidden size names the size and the valid range")
    func rankAboveHiddenSize() {
        let fixture = TrainingFixture()
        #expect(fixture.problems(TrainingFixture.files + "lora_rank: 1024\n")
                == ["train.yaml:5:12: lora_rank: 1024 exceeds the model's hidden size 32 (valid: 1...32)"])
        #expect(fixture.problems(TrainingFixture.files, environment: ["LORA_LORA_RANK": "1024"])
                == ["LORA_LORA_RANK (environment): lora_rank: 1024 exceeds the model's hidden size 32 (valid: 1...32)"])
        #expect(fixture.problems(TrainingFixture.files + "max_seq_length: 512\n")
                == ["train.yaml:5:17: max_seq_length: 512 exceeds the model's max_position_embeddings 64 (valid: 8...64)"])
    }

    @Test("q_proj and v_proj on a BERT model give the unknown-module message with BERT's module names")
    func llamaModuleNames() {
        let expected = LoRAError.unknownTargetModules(requested: ["q_proj", "v_proj"], available: TargetModule.shortNames)
        #expect(TrainingFixture().problems(TrainingFixture.files + "target_modules: [q_proj, v_proj]\n")
                == ["train.yaml:5:17: \(expected)"])
    }

    @Test("a missing model, model file, data directory or CSV is named")
    func missingFiles() throws {
        let fixture = TrainingFixture()
        try FileManager.default.removeItem(atPath: fixture.root + "/model/vocab.txt")
        try FileManager.default.removeItem(atPath: fixture.root + "/model/model.safetensors")
        let root = fixture.root
        #expect(fixture.problems(TrainingFixture.files) == [
            "train.yaml:1:13: base_model: \(root)/model has no model.safetensors",
            "train.yaml:1:13: base_model: \(root)/model has no vocab.txt",
        ].map { $0.replacingOccurrences(of: root + "/", with: "") })
        #expect(fixture.problems("base_model: none\ntrain_data_dir: nodata\nmetadata_path: p.csv\noutput_dir: out\n") == [
            "train.yaml:1:13: base_model: none does not exist; expected a directory with config.json, model.safetensors, vocab.txt",
            "train.yaml:2:17: train_data_dir: nodata does not exist",
            "train.yaml:3:16: metadata_path: nodata/p.csv does not exist",
        ])
    }

    @Test("training data without the needed columns or with too few pairs is reported")
    func badData() {
        let fixture = TrainingFixture(pairs: 3)
        #expect(fixture.problems(TrainingFixture.files + "eval_split: 0.5\n")
                == ["train.yaml:5:13: eval_split: 0.5 holds out 2 of 3 pairs, leaving 1 for training; at least 2 are needed"])
        fixture.write("data/one.csv", "anchor,positive\nq,p\n")
        #expect(fixture.problems(TrainingFixture.files + "metadata_path: one.csv\n").contains(
            "train.yaml:5:1: duplicate key \"metadata_path\" (first defined at line 3, column 1)"))
        #expect(fixture.problems("base_model: model\ntrain_data_dir: data\nmetadata_path: one.csv\noutput_dir: out\n")
                == ["train.yaml:3:16: metadata_path: data/one.csv has 1 pair; training needs at least 2, each the other's negative"])
        fixture.write("data/text.csv", "text,label\nq,p\n")
        #expect(fixture.problems("base_model: model\ntrain_data_dir: data\nmetadata_path: text.csv\noutput_dir: out\n")
                == ["data/text.csv:1: the header has no \"anchor\" or \"positive\" column; its columns are: text, label"])
    }

    @Test("early stopping without held-out pairs is refused")
    func earlyStoppingNeedsEvalSplit() {
        #expect(TrainingFixture().problems(TrainingFixture.files + "early_stopping_patience: 3\n") == [
            "train.yaml:5:26: early_stopping_patience: 3 needs held-out pairs to evaluate; set eval_split above 0 "
                + "(valid: 0 unless eval_split is above 0)",
        ])
    }

    @Test("max_steps may be left empty to train for epochs, and a file that is not a mapping is one problem")
    func maxStepsAndShape() {
        let decoded = TrainingConfig.decode(
            yaml: Array("base_model: m\nmetadata_path: p.csv\noutput_dir: o\nmax_steps:\nepochs: 3\n".utf8),
            path: "train.yaml", environment: [:])
        #expect(decoded.problems.isEmpty && decoded.config?.maxSteps == nil && decoded.config?.epochs == 3)
        #expect(TrainingConfig.decode(yaml: Array("- lora_rank\n".utf8), path: "train.yaml", environment: [:]).problems
                == ["train.yaml:1:1: the training config must be a mapping; got a list"])
    }

    @Test("a YAML syntax error is reported with its place")
    func syntaxError() {
        let problems = TrainingFixture().problems("base_model: [model\n")
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("train.yaml:2:1: invalid YAML") == true)
    }
}
