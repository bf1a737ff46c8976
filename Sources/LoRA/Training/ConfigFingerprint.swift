/// The settings a resumed run must share with the run that wrote the checkpoint, as readable
/// `key=value` lines, so a mismatch can name what changed.
enum ConfigFingerprint {
    /// The fingerprint of `config` for a run over `pairCount` training pairs.
    static func of(_ config: TrainingConfig, pairCount: Int, totalSteps: Int) -> String {
        [
            "lora_rank=\(config.loraRank)", "lora_alpha=\(config.loraAlpha)", "lora_dropout=\(config.loraDropout)",
            "target_modules=\(config.targetModules.joined(separator: ","))", "batch_size=\(config.batchSize)",
            "gradient_accumulation_steps=\(config.gradientAccumulationSteps)", "total_steps=\(totalSteps)",
            "learning_rate=\(config.learningRate)", "lr_scheduler=\(config.lrScheduler.rawValue)",
            "warmup_steps=\(config.warmupSteps)", "weight_decay=\(config.weightDecay)",
            "max_grad_norm=\(config.maxGradNorm)", "max_seq_length=\(config.maxSeqLength)",
            "eval_split=\(config.evalSplit)", "similarity_scale=\(config.similarityScale)", "seed=\(config.seed)",
            "training_pairs=\(pairCount)",
        ].joined(separator: "\n")
    }

    /// The settings that differ between a checkpoint's fingerprint and this run's, as `key: old → new`.
    static func differences(checkpoint: String, run: String) -> [String] {
        let old = pairs(checkpoint)
        let new = pairs(run)
        return new.keys.sorted().compactMap { key in
            old[key] == new[key] ? nil : "\(key): \(old[key] ?? "unset") → \(new[key] ?? "unset")"
        }
    }

    private static func pairs(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { result[String(parts[0])] = String(parts[1]) }
        }
        return result
    }
}
