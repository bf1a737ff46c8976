import TackYAML

extension TrainingConfig {
    /// A config key as written in YAML; its environment variable is `LORA_` and the key upper-cased.
    enum Key: String, CaseIterable, Sendable {
        case trainDataDir = "train_data_dir", metadataPath = "metadata_path", baseModel = "base_model"
        case outputDir = "output_dir", loraRank = "lora_rank", loraAlpha = "lora_alpha"
        case loraDropout = "lora_dropout", targetModules = "target_modules", batchSize = "batch_size"
        case gradientAccumulationSteps = "gradient_accumulation_steps", epochs, maxSteps = "max_steps"
        case learningRate = "learning_rate", lrScheduler = "lr_scheduler", warmupSteps = "warmup_steps"
        case weightDecay = "weight_decay", maxGradNorm = "max_grad_norm", maxSeqLength = "max_seq_length"
        case saveSteps = "save_steps", saveTotalLimit = "save_total_limit", evalSteps = "eval_steps"
        case evalSplit = "eval_split", earlyStoppingPatience = "early_stopping_patience"
        case similarityScale = "similarity_scale", seed, threads

        /// The environment variable that overrides the key.
        var variable: String { "LORA_" + rawValue.uppercased() }

        /// The keys that have no default.
        static let required: [Key] = [.baseModel, .metadataPath, .outputDir]
    }

    /// Sets `key` from `node`; a node of the wrong type is reported to the reader and leaves the value as it was.
    mutating func assign(_ key: Key, from node: YAMLNode, reader: YAMLReader) -> Bool {
        let what = key.rawValue
        let any = Int.min...Int.max
        switch key {
        case .trainDataDir: return set(\.trainDataDir, reader.string(node, what: what))
        case .metadataPath: return set(\.metadataPath, reader.string(node, what: what))
        case .baseModel: return set(\.baseModel, reader.string(node, what: what))
        case .outputDir: return set(\.outputDir, reader.string(node, what: what))
        case .loraRank: return set(\.loraRank, reader.integer(node, what: what, in: any))
        case .loraAlpha: return set(\.loraAlpha, reader.number(node, what: what).map(Float.init))
        case .loraDropout: return set(\.loraDropout, reader.number(node, what: what).map(Float.init))
        case .targetModules: return set(\.targetModules, reader.moduleNames(node, what: what))
        case .batchSize: return set(\.batchSize, reader.integer(node, what: what, in: any))
        case .gradientAccumulationSteps: return set(\.gradientAccumulationSteps, reader.integer(node, what: what, in: any))
        case .epochs: return set(\.epochs, reader.integer(node, what: what, in: any))
        case .maxSteps:
            if node.scalar?.isNull == true {
                maxSteps = nil
                return true
            }
            return set(\.maxSteps, reader.integer(node, what: what, in: any).map(Optional.some))
        case .learningRate: return set(\.learningRate, reader.number(node, what: what).map(Float.init))
        case .lrScheduler:
            let names = LearningRateSchedule.allCases.map(\.rawValue)
            return set(\.lrScheduler, reader.choice(node, what: what, from: names).flatMap(LearningRateSchedule.init))
        case .warmupSteps: return set(\.warmupSteps, reader.integer(node, what: what, in: any))
        case .weightDecay: return set(\.weightDecay, reader.number(node, what: what).map(Float.init))
        case .maxGradNorm: return set(\.maxGradNorm, reader.number(node, what: what).map(Float.init))
        case .maxSeqLength: return set(\.maxSeqLength, reader.integer(node, what: what, in: any))
        case .saveSteps: return set(\.saveSteps, reader.integer(node, what: what, in: any))
        case .saveTotalLimit: return set(\.saveTotalLimit, reader.integer(node, what: what, in: any))
        case .evalSteps: return set(\.evalSteps, reader.integer(node, what: what, in: any))
        case .evalSplit: return set(\.evalSplit, reader.number(node, what: what))
        case .earlyStoppingPatience: return set(\.earlyStoppingPatience, reader.integer(node, what: what, in: any))
        case .similarityScale: return set(\.similarityScale, reader.number(node, what: what).map(Float.init))
        case .seed: return set(\.seed, reader.integer(node, what: what, in: any))
        case .threads: return set(\.threads, reader.integer(node, what: what, in: any))
        }
    }

    /// The value of `key` as text, for override reports and messages.
    func text(of key: Key) -> String {
        switch key {
        case .trainDataDir: trainDataDir
        case .metadataPath: metadataPath
        case .baseModel: baseModel
        case .outputDir: outputDir
        case .loraRank: "\(loraRank)"
        case .loraAlpha: "\(loraAlpha)"
        case .loraDropout: "\(loraDropout)"
        case .targetModules: targetModules.joined(separator: ",")
        case .batchSize: "\(batchSize)"
        case .gradientAccumulationSteps: "\(gradientAccumulationSteps)"
        case .epochs: "\(epochs)"
        case .maxSteps: maxSteps.map { "\($0)" } ?? "unset"
        case .learningRate: "\(learningRate)"
        case .lrScheduler: lrScheduler.rawValue
        case .warmupSteps: "\(warmupSteps)"
        case .weightDecay: "\(weightDecay)"
        case .maxGradNorm: "\(maxGradNorm)"
        case .maxSeqLength: "\(maxSeqLength)"
        case .saveSteps: "\(saveSteps)"
        case .saveTotalLimit: "\(saveTotalLimit)"
        case .evalSteps: "\(evalSteps)"
        case .evalSplit: "\(evalSplit)"
        case .earlyStoppingPatience: "\(earlyStoppingPatience)"
        case .similarityScale: "\(similarityScale)"
        case .seed: "\(seed)"
        case .threads: "\(threads)"
        }
    }

    private mutating func set<Value>(_ property: WritableKeyPath<TrainingConfig, Value>, _ value: Value?) -> Bool {
        guard let value else { return false }
        self[keyPath: property] = value
        return true
    }
}

extension YAMLReader {
    /// The node as a plain, finite number such as `16`, `0.1` or `2e-4`.
    func number(_ node: YAMLNode, what: String) -> Double? {
        guard let scalar = node.scalar, scalar.isPlain, let value = Double(scalar.value), value.isFinite,
              Float(value).isFinite else {
            log.error("\(what) must be a number; got \(describe(node))", at: node.mark)
            return nil
        }
        return value
    }

    /// The node as module names: a list of strings or one comma-separated string.
    func moduleNames(_ node: YAMLNode, what: String) -> [String]? {
        if let items = node.sequence {
            let names = items.compactMap { string($0, what: "an entry of \(what)") }
            return names.count == items.count ? names.map { $0.trimmingSpaces } : nil
        }
        guard let scalar = node.scalar, !scalar.isNull else {
            log.error("\(what) must be a list of module names or a comma-separated string; got \(describe(node))", at: node.mark)
            return nil
        }
        let names = scalar.value.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
        guard !names.contains(where: \.isEmpty) else {
            log.error("\(what) has an empty module name in \(scalar.value.quoted); separate names with single commas",
                      at: node.mark)
            return nil
        }
        return names
    }
}

extension String {
    /// The text without leading and trailing spaces and tabs.
    fileprivate var trimmingSpaces: String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        return String(drop(while: blank).reversed().drop(while: blank).reversed())
    }
}
