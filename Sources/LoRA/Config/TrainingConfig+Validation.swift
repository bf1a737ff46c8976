import Foundation

extension TrainingConfig {
    /// The files a base model directory must hold.
    static let modelFiles = ["config.json", "model.safetensors", "vocab.txt"]

    /// Every problem with the values, the model and data they name, each a sentence naming the key,
    /// the value and what is allowed, starting with the value's `FILE:LINE:COLUMN: ` or its variable.
    /// Reads the model's config.json and the training CSV; writes nothing.
    public func validate() -> [String] {
        var problems: [String] = []
        let model = readModel(&problems)
        checkRanges(model: model, &problems)
        checkTargetModules(model: model, &problems)
        checkData(&problems)
        if !outputDir.isEmpty, Self.exists(outputDir) == false {
            problems.append("\(place(.outputDir))output_dir: \(outputDir) exists and is not a directory")
        }
        return problems
    }

    /// Where `key`'s value was written, as a message prefix: `FILE:LINE:COLUMN: `, `VARIABLE (environment): ` or nothing for a default.
    func place(_ key: Key) -> String {
        switch sources[key] {
        case .file(let mark): "\(configPath):\(mark.line):\(mark.column): "
        case .environment(let variable): "\(variable) (environment): "
        case nil: ""
        }
    }

    private func readModel(_ problems: inout [String]) -> EncoderConfig? {
        guard !baseModel.isEmpty else { return nil }
        let prefix = "\(place(.baseModel))base_model: \(baseModel)"
        guard let isDirectory = Self.exists(baseModel) else {
            problems.append("\(prefix) does not exist; expected a directory with \(Self.modelFiles.joined(separator: ", "))")
            return nil
        }
        guard isDirectory else {
            problems.append("\(prefix) is not a directory; expected one with \(Self.modelFiles.joined(separator: ", "))")
            return nil
        }
        let missing = Self.modelFiles.filter { Self.exists(baseModel + "/" + $0) != false }
        for file in missing { problems.append("\(prefix) has no \(file)") }
        guard !missing.contains("config.json") else { return nil }
        do { return try EncoderConfig(contentsOf: baseModel + "/config.json") } catch {
            problems.append("\(place(.baseModel))base_model: \(error)")
            return nil
        }
    }

    private func checkRanges(model: EncoderConfig?, _ problems: inout [String]) {
        func require(_ key: Key, _ isValid: Bool, _ valid: String, _ reason: String = "is out of range") {
            guard !isValid else { return }
            problems.append("\(place(key))\(key.rawValue): \(text(of: key)) \(reason) (valid: \(valid))")
        }
        if let model {
            let reason = loraRank > model.hiddenSize ? "exceeds the model's hidden size \(model.hiddenSize)" : "is out of range"
            require(.loraRank, (1...model.hiddenSize).contains(loraRank), "1...\(model.hiddenSize)", reason)
        } else {
            require(.loraRank, loraRank >= 1, ">= 1")
        }
        require(.loraAlpha, loraAlpha > 0, "> 0")
        require(.loraDropout, (0..<1).contains(loraDropout), "0 <= x < 1")
        require(.batchSize, batchSize <= 4096, "2...4096")
        require(.batchSize, batchSize >= 2, "2...4096", "is too small: each anchor's negatives are the other pairs of its batch")
        require(.gradientAccumulationSteps, gradientAccumulationSteps >= 1, ">= 1")
        require(.epochs, epochs >= 1, ">= 1")
        require(.maxSteps, maxSteps.map { $0 >= 1 } ?? true, ">= 1, or unset to train for epochs")
        require(.learningRate, learningRate > 0 && learningRate <= 1, "0 < x <= 1")
        require(.warmupSteps, warmupSteps >= 0, ">= 0")
        require(.weightDecay, weightDecay >= 0, ">= 0")
        require(.maxGradNorm, maxGradNorm >= 0, ">= 0; 0 turns clipping off")
        // A default longer than the model allows is shortened by `load`, not reported.
        if let model, sources[.maxSeqLength] != nil {
            let limit = model.maxPositions
            let reason = maxSeqLength > limit ? "exceeds the model's max_position_embeddings \(limit)" : "is out of range"
            require(.maxSeqLength, limit >= 8 && (8...limit).contains(maxSeqLength), "8...\(limit)", reason)
        } else {
            require(.maxSeqLength, maxSeqLength >= 8, ">= 8")
        }
        require(.saveSteps, saveSteps >= 0, ">= 0; 0 saves only the final adapter")
        require(.saveTotalLimit, saveTotalLimit >= 1, ">= 1")
        require(.evalSteps, evalSteps >= 0, ">= 0; 0 evaluates only before and after training")
        require(.evalSplit, evalSplit >= 0 && evalSplit < 1, "0 <= x < 1")
        require(.earlyStoppingPatience, earlyStoppingPatience >= 0, ">= 0; 0 turns early stopping off")
        require(.earlyStoppingPatience, earlyStoppingPatience <= 0 || evalSplit > 0, "0 unless eval_split is above 0",
                "needs held-out pairs to evaluate; set eval_split above 0")
        require(.similarityScale, similarityScale > 0, "> 0")
        require(.threads, (1...256).contains(threads), "1...256")
    }

    private func checkTargetModules(model: EncoderConfig?, _ problems: inout [String]) {
        guard !targetModules.isEmpty else {
            problems.append("\(place(.targetModules))target_modules: the list is empty; name at least one module, such as query")
            return
        }
        // Without the model, any layer a name mentions is allowed: BERT encoders have far fewer than 256.
        do { _ = try TargetSite.resolve(targetModules, layerCount: model?.layerCount ?? 256) } catch {
            problems.append("\(place(.targetModules))\(error)")
        }
    }

    private func checkData(_ problems: inout [String]) {
        if !trainDataDir.isEmpty, Self.exists(trainDataDir) != true {
            let what = Self.exists(trainDataDir) == nil ? "does not exist" : "is not a directory"
            problems.append("\(place(.trainDataDir))train_data_dir: \(trainDataDir) \(what)")
        }
        guard !metadataPath.isEmpty else { return }
        guard Self.exists(metadataPath) == false else {
            let what = Self.exists(metadataPath) == nil ? "does not exist" : "is a directory, not a CSV file"
            problems.append("\(place(.metadataPath))metadata_path: \(metadataPath) \(what)")
            return
        }
        let pairs: [SentencePair]
        do { pairs = try PairsCSV.read(path: metadataPath) } catch {
            problems.append(error.description)
            return
        }
        guard pairs.count >= 2 else {
            problems.append("\(place(.metadataPath))metadata_path: \(metadataPath) has \(pairs.count) pair"
                            + "\(pairs.count == 1 ? "" : "s"); training needs at least 2, each the other's negative")
            return
        }
        guard evalSplit > 0, evalSplit < 1 else { return }
        let held = EvalSplit.evalCount(pairCount: pairs.count, share: evalSplit)
        if pairs.count - held < 2 {
            problems.append("\(place(.evalSplit))eval_split: \(evalSplit) holds out \(held) of \(pairs.count) pairs, "
                            + "leaving \(pairs.count - held) for training; at least 2 are needed")
        }
    }

    /// Whether `path` is a directory, nil when nothing is there.
    private static func exists(_ path: String) -> Bool? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
        return isDirectory.boolValue
    }
}
