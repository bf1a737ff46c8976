import ArgumentParser
import Foundation
import LoRA

/// `lora-train recommend`: training settings that fit a model's training in a memory budget.
struct RecommendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommend",
        abstract: "Suggest batch_size, max_seq_length and lora_rank that fit training in a memory budget.",
        discussion: """
            The peak memory of a training step is estimated (not measured) for the default target_modules and \
            lora_dropout, keeping 20% of the budget free: max_seq_length 128 (fewer when the model has fewer \
            positions), lora_rank 8 (16 when that would use under a quarter of the budget), and the largest \
            batch_size of 64, 32, 16, 8, 4, 2 that fits; shorter sequences (64, then 32) are tried only when 2 \
            pairs of 128 tokens do not fit. The text output is YAML to paste into a training config. Exits 1 when \
            nothing fits, with the smallest estimated need.
            """
    )

    /// `-o text|json|yaml`.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, yaml
    }

    @Option(name: .long, help: "The model directory (its config.json is read).")
    var model: String

    @Option(
        name: .long,
        help: ArgumentHelp("The memory training may use: bytes, or a number with B, KB, MB, GB, TB, KiB, MiB, GiB or TiB.", valueName: "size"),
        transform: Self.parseMemory)
    var memory: ByteSize

    @Option(name: .long, help: "Worker threads for the matrix products; echoed as the threads key.")
    var threads: Int?

    @Option(name: [.customShort("o"), .long], help: "Output format: text, json or yaml.")
    var output: Format = .text

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, not \(threads)") }
    }

    func run() throws {
        let config: EncoderConfig
        let sites: [TargetSite]
        let defaults = TrainingConfig(baseModel: model, metadataPath: "", outputDir: "")
        do {
            config = try EncoderConfig(contentsOf: model + "/config.json")
            sites = try TargetSite.resolve(defaults.targetModules, layerCount: config.layerCount)
        } catch {
            throw Console.fail(error)
        }
        let recommendation = MemoryEstimate.recommend(
            config, budgetBytes: memory.bytes, sites: sites, hasDropout: defaults.loraDropout > 0)
        switch recommendation {
        case let .fits(settings):
            Console.out(try render(settings, targetModules: defaults.targetModules, dropout: defaults.loraDropout))
        case let .tooSmall(smallest):
            let need = ByteSize(bytes: smallest.estimate.peakBytes)
            let withMargin = ByteSize(bytes: Int((Double(need.bytes) / (1 - MemoryEstimate.budgetMargin)).rounded(.up)))
            Console.err("""
                error: \(memory) is not enough to train \(model): the smallest setting (batch_size \(smallest.batchSize), \
                max_seq_length \(smallest.maxSeqLength), lora_rank \(smallest.loraRank)) needs an estimated \(need), \
                \(withMargin) with the 20% margin

                """)
            throw ExitCode(1)
        }
    }

    /// The recommendation in the chosen format.
    func render(_ settings: MemoryEstimate.TrainingSettings, targetModules: [String], dropout: Float) throws -> String {
        let report = Report(
            batch_size: settings.batchSize, max_seq_length: settings.maxSeqLength, lora_rank: settings.loraRank,
            threads: threads, estimated_peak_bytes: settings.estimate.peakBytes, budget_bytes: memory.bytes)
        var lines = [
            "batch_size: \(report.batch_size)", "max_seq_length: \(report.max_seq_length)", "lora_rank: \(report.lora_rank)",
        ]
        if let threads { lines.append("threads: \(threads)") }
        switch output {
        case .json:
            return try Console.json(report)
        case .yaml:
            lines += ["estimated_peak_bytes: \(report.estimated_peak_bytes)", "budget_bytes: \(report.budget_bytes)"]
        case .text:
            let percent = Int((Double(report.estimated_peak_bytes) / Double(report.budget_bytes) * 100).rounded())
            lines.append(
                "# estimated peak \(ByteSize(bytes: report.estimated_peak_bytes)) of the \(memory) budget (\(percent)%), "
                    + "for target_modules [\(targetModules.joined(separator: ", "))] and lora_dropout \(dropout)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The `-o json|yaml` object, keyed as a training config is.
    struct Report: Encodable {
        let batch_size: Int
        let max_seq_length: Int
        let lora_rank: Int
        let threads: Int?
        let estimated_peak_bytes: Int
        let budget_bytes: Int
    }

    /// `--memory`'s value; a usage error naming the accepted forms when it is not a size.
    static func parseMemory(_ text: String) throws -> ByteSize {
        guard let size = ByteSize(text) else {
            throw ValidationError("\"\(text)\" is not a memory size: \(ByteSize.acceptedForms)")
        }
        return size
    }
}
