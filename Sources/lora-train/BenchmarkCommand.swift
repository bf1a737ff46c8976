import ArgumentParser
import COpenBLAS
import Foundation
import LoRA

/// `lora-train benchmark`: how fast LoRA training and embedding run on this machine, against the
/// matrix-product ceiling of its OpenBLAS.
struct BenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "benchmark",
        abstract: "Time LoRA training steps and embedding on a fixed synthetic batch, and the sgemm ceiling.",
        discussion: """
            Every sequence has exactly --length tokens: ids drawn from the vocabulary's non-special \
            tokens (those not written [LIKE_THIS]) by SplitMix64 with seed 42, attention mask all 1. \
            Benchmarks/lora_train_torch.py builds the same batch, so both do the same work. A training \
            step zeroes the gradients, runs the contrastive step (scale 20, anchors then positives, \
            dropout 0), clips to norm 1 and takes an AdamW step (lr 1e-4).
            """
    )

    /// How the results are printed.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(help: "The model directory (config.json, model.safetensors, vocab.txt).")
    var model: String

    @Option(help: "Sequences per batch: anchors then positives, so an even number.")
    var sequences = 8

    @Option(help: "Tokens in every sequence.")
    var length = 128

    @Option(help: "The LoRA rank.")
    var rank = 8

    @Option(help: "Comma-separated modules that get adapters.")
    var targets = "query,value"

    @Option(help: "Threads for the matrix products (OpenBLAS).")
    var threads = 2

    @Option(help: "Timed training steps (and timed embedding passes).")
    var steps = 20

    @Option(help: "Untimed steps (and passes) before the timed ones.")
    var warmup = 3

    @Option(name: [.customShort("o"), .long], help: "Output format: text or json.")
    var output: Format = .text

    /// The seed of the synthetic token ids; the Python benchmark uses the same.
    static let idSeed: UInt64 = 42

    func validate() throws {
        guard sequences >= 2, sequences % 2 == 0 else { throw ValidationError("--sequences must be an even number, at least 2") }
        guard length >= 1 else { throw ValidationError("--length must be positive") }
        guard rank >= 1 else { throw ValidationError("--rank must be positive") }
        guard threads >= 1 else { throw ValidationError("--threads must be positive") }
        guard steps >= 1, warmup >= 0 else { throw ValidationError("--steps must be positive and --warmup not negative") }
    }

    func run() throws {
        setComputeThreads(threads)
        let startupResidentBytes = Self.peakResidentBytes()
        let names = targets.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let encoder: Encoder, batch: TokenBatch, sites: [TargetSite]
        do {
            encoder = try Encoder(directory: model)
            batch = try Self.syntheticBatch(vocabularyPath: model + "/vocab.txt", sequences: sequences, length: length)
            sites = try TargetSite.resolve(names, layerCount: encoder.config.layerCount)
        } catch {
            throw Console.fail(error)
        }
        let config = encoder.config
        guard length <= config.maxPositions else {
            Console.err("error: --length \(length) is longer than the model's \(config.maxPositions) positions\n")
            throw ExitCode(64)
        }
        var rng = RandomGenerator(seed: 1)
        let parameters = LoRAInitialization.parameters(
            sites: sites, rank: rank, hiddenSize: config.hiddenSize, intermediateSize: config.intermediateSize, rng: &rng)
        var adapter = LoRAAdapter(rank: rank, alpha: Float(2 * rank), dropout: 0, sites: sites, parameters: parameters)
        var optimizer = AdamW()

        var losses: [Float] = []
        let trainTimes = Self.time(warmup: warmup, runs: steps) {
            adapter.zeroGradients()
            let result = encoder.contrastiveStep(batch, adapter: &adapter, similarityScale: 20, random: &rng)
            losses.append(result.loss)
            GradientClipping.clipNorm(&adapter.parameters, maxNorm: 1.0)
            optimizer.step(&adapter.parameters, learningRate: 1e-4)
        }
        let frozen = adapter
        let embedTimes = Self.time(warmup: warmup, runs: steps) { _ = encoder.embed(batch, adapter: frozen) }

        let rows = sequences * length
        // The ceiling is OpenBLAS's own rate on `threads` threads (the trainer keeps it on one and
        // splits products itself).
        openblas_set_num_threads(Int32(threads))
        let square = Self.sgemmRate(m: 1024, n: 1024, k: 1024)
        let shaped = Self.sgemmRate(m: rows, n: config.intermediateSize, k: config.hiddenSize)
        setComputeThreads(threads)
        let flops = StepFLOPs(config: config, length: length, sites: sites, rank: rank)
        let tokens = Double(rows)
        let trainMedian = Self.percentile(trainTimes, 0.5)
        let embedMedian = Self.percentile(embedTimes, 0.5)
        let report = Report(
            implementation: "tack", model: model, threads: threads, sequences: sequences, length: length, rank: rank,
            targets: names, steps: steps, warmup: warmup, tokensPerStep: rows, batchIdSum: batch.ids.reduce(0) { $0 + Int($1) },
            firstLoss: Double(losses.first ?? .nan), lastLoss: Double(losses.last ?? .nan),
            trainStepMedianSeconds: trainMedian, trainStepP90Seconds: Self.percentile(trainTimes, 0.9),
            trainTokensPerSecond: tokens / trainMedian,
            embedMedianSeconds: embedMedian, embedP90Seconds: Self.percentile(embedTimes, 0.9),
            embedTokensPerSecond: tokens / embedMedian,
            sgemmSquareGflopPerSecond: square / 1e9, sgemmModelGflopPerSecond: shaped / 1e9,
            sgemmModelShape: "[\(rows)x\(config.hiddenSize)]·[\(config.hiddenSize)x\(config.intermediateSize)]",
            trainFlopPerToken: flops.train, embedFlopPerToken: flops.forward, flopFormula: StepFLOPs.formula,
            ceilingTrainTokensPerSecond: shaped / flops.train, ceilingEmbedTokensPerSecond: shaped / flops.forward,
            trainCeilingShare: (tokens / trainMedian) / (shaped / flops.train),
            embedCeilingShare: (tokens / embedMedian) / (shaped / flops.forward),
            startupRssBytes: startupResidentBytes, peakRssBytes: Self.peakResidentBytes(), kernels: kernelInstructionSet(),
            frozenProducts: frozenProductKernel())
        switch output {
        case .json: print(try report.json())
        case .text: print(report.text)
        }
    }
}

// MARK: - The synthetic batch

extension BenchmarkCommand {
    /// `sequences` rows of `length` ids, each drawn as `candidates[splitmix64() % candidates.count]`
    /// where the candidates are the vocabulary's line numbers whose token is not `[…]`.
    static func syntheticBatch(vocabularyPath: String, sequences: Int, length: Int) throws(LoRAError) -> TokenBatch {
        let text: String
        do { text = try String(contentsOfFile: vocabularyPath, encoding: .utf8) } catch {
            throw .cannotRead(path: vocabularyPath, reason: (error as NSError).localizedDescription)
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        if lines.last?.isEmpty == true { lines.removeLast() }
        let candidates = lines.indices.filter { !(lines[$0].hasPrefix("[") && lines[$0].hasSuffix("]")) }
        guard !candidates.isEmpty else {
            throw .cannotRead(path: vocabularyPath, reason: "the vocabulary has no ordinary tokens")
        }
        var state = idSeed
        let encodings = (0..<sequences).map { _ in
            let ids = (0..<length).map { _ in candidates[Int(splitMix64(&state) % UInt64(candidates.count))] }
            return WordPieceTokenizer.Encoding(ids: ids, attentionMask: Array(repeating: 1, count: length))
        }
        return TokenBatch(encodings)
    }

    /// SplitMix64: the next output from `state`, which it advances.
    static func splitMix64(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

// MARK: - Measuring

extension BenchmarkCommand {
    /// Seconds of each of `runs` calls of `body`, after `warmup` untimed calls.
    static func time(warmup: Int, runs: Int, _ body: () -> Void) -> [Double] {
        for _ in 0..<warmup { body() }
        let clock = ContinuousClock()
        return (0..<runs).map { _ in clock.measure(body).seconds }
    }

    /// The nearest-rank percentile `p` (0.5 is the median) of `values`.
    static func percentile(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.sorted()
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    /// FLOP/s of a row-major `[m×k]·[k×n]` sgemm with OpenBLAS's current thread count: the best of 10 runs after 2.
    static func sgemmRate(m: Int, n: Int, k: Int) -> Double {
        let a = (0..<(m * k)).map { Float($0 % 17) * 0.01 }
        let b = (0..<(k * n)).map { Float($0 % 13) * 0.01 }
        var c = [Float](repeating: 0, count: m * n)
        let times = time(warmup: 2, runs: 10) {
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
                1, a, Int32(k), b, Int32(n), 0, &c, Int32(n))
        }
        return 2 * Double(m) * Double(n) * Double(k) / times.min()!
    }

    /// The process's peak resident set size in bytes.
    static func peakResidentBytes() -> Int {
        var usage = rusage()
        #if os(Linux)
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return usage.ru_maxrss * 1024  // KiB on Linux
        #else
            getrusage(RUSAGE_SELF, &usage)
            return usage.ru_maxrss  // bytes on macOS
        #endif
    }
}

// MARK: - The matmul ceiling

/// Matrix-product FLOPs per token of a LoRA training step on a frozen base, and of a forward pass.
///
/// With H hidden, I intermediate, T tokens per sequence, L layers, r the rank, and l the lowest
/// adapted layer: forward = L·(8H² + 4HI + 4TH) + Σsites 2r(in+out), where 8H² + 4HI is 2 FLOPs per
/// weight of the six linear layers and 4TH is attention's QKᵀ and P·V (2TH each). The backward pass
/// computes input gradients only from the top down to the lowest adapter: (L−1−l)·(8H² + 4HI + 8TH)
/// for the layers above layer l (8TH: dP, dV, dQ, dK), plus in layer l the input gradients of the
/// modules above its lowest adapted module (output 2IH, intermediate 2HI, attention output 2H² and
/// the attention's 8TH when q/k/v is adapted), plus per site 2r·out (dB) + 2r·out (d down) +
/// 2r·in (dA) + 2r·in (dx, when the input gradient is needed).
/// LayerNorm, GELU, softmax, pooling and the optimizer are not matrix products and are not counted.
struct StepFLOPs {
    /// Per token, forward and backward.
    let train: Double
    /// Per token, forward only.
    let forward: Double

    static let formula = "forward L(8H^2+4HI+4TH) + sum_sites 2r(in+out); backward (L-1-l)(8H^2+4HI+8TH) "
        + "+ lowest layer l down to its lowest adapter (2IH, +2HI, +2H^2+8TH) + sum_sites 2r(2out+in) "
        + "+ 2r*in where dx is needed; H hidden, I intermediate, T tokens/sequence, L layers, l lowest adapted layer"

    init(config: EncoderConfig, length: Int, sites: [TargetSite], rank: Int) {
        let (h, i, t, r) = (Double(config.hiddenSize), Double(config.intermediateSize), Double(length), Double(rank))
        let layers = config.layerCount
        let linear = 8 * h * h + 4 * h * i
        let attention = 4 * t * h
        let lowest = sites.map(\.layer).min() ?? layers
        // How far down the backward pass goes inside the lowest adapted layer: 0 output, 1 intermediate,
        // 2 attention output, 3 query/key/value.
        func depth(_ module: TargetModule) -> Int {
            switch module {
            case .output: 0
            case .intermediate: 1
            case .attentionOutput: 2
            case .query, .key, .value: 3
            }
        }
        let deepest = sites.filter { $0.layer == lowest }.map { depth($0.module) }.max() ?? -1
        var forward = Double(layers) * (linear + attention)
        var backward = Double(max(layers - 1 - lowest, 0)) * (linear + 2 * attention)
        if deepest >= 1 { backward += 2 * i * h }
        if deepest >= 2 { backward += 2 * h * i }
        if deepest >= 3 { backward += 2 * h * h + 2 * attention }
        for site in sites {
            let (inputs, outputs): (Double, Double) = switch site.module {
            case .query, .key, .value, .attentionOutput: (h, h)
            case .intermediate: (h, i)
            case .output: (i, h)
            }
            forward += 2 * r * (inputs + outputs)
            backward += 2 * r * (2 * outputs + inputs)
            let needsInputGradient = site.layer > lowest || depth(site.module) < deepest
            if needsInputGradient { backward += 2 * r * inputs }
        }
        self.forward = forward
        self.train = forward + backward
    }
}

// MARK: - The report

extension BenchmarkCommand {
    /// What one run measured; JSON keys are the snake_case of the property names.
    struct Report: Encodable {
        let implementation, model: String
        let threads, sequences, length, rank: Int
        let targets: [String]
        let steps, warmup, tokensPerStep, batchIdSum: Int
        let firstLoss, lastLoss: Double
        let trainStepMedianSeconds, trainStepP90Seconds, trainTokensPerSecond: Double
        let embedMedianSeconds, embedP90Seconds, embedTokensPerSecond: Double
        let sgemmSquareGflopPerSecond, sgemmModelGflopPerSecond: Double
        let sgemmModelShape: String
        let trainFlopPerToken, embedFlopPerToken: Double
        let flopFormula: String
        let ceilingTrainTokensPerSecond, ceilingEmbedTokensPerSecond: Double
        let trainCeilingShare, embedCeilingShare: Double
        /// Peak RSS before the model is loaded (the program and its libraries), and at the end.
        let startupRssBytes, peakRssBytes: Int
        /// Which copy of the element-wise kernels this CPU runs (`kernelInstructionSet`).
        let kernels: String
        /// What multiplies by the frozen weights (`frozenProductKernel`).
        let frozenProducts: String

        func json() throws -> String {
            let encoder = JSONEncoder()
            encoder.keyEncodingStrategy = .convertToSnakeCase
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(self), as: UTF8.self)
        }

        var text: String {
            func f(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }
            return """
                LoRA training benchmark: \(sequences) sequences x \(length) tokens, rank \(rank) on \
                \(targets.joined(separator: ",")), \(threads) thread(s), \(steps) steps after \(warmup) warm-up
                train        \(f(trainTokensPerSecond)) tokens/s (step median \(f(trainStepMedianSeconds, 3)) s, \
                p90 \(f(trainStepP90Seconds, 3)) s); loss \(f(firstLoss, 4)) -> \(f(lastLoss, 4))
                embed        \(f(embedTokensPerSecond)) tokens/s (median \(f(embedMedianSeconds, 3)) s)
                sgemm        \(f(sgemmSquareGflopPerSecond)) GFLOP/s at 1024^3, \(f(sgemmModelGflopPerSecond)) \
                GFLOP/s at \(sgemmModelShape)
                FLOP/token   train \(f(trainFlopPerToken / 1e6, 2)) M, embed \(f(embedFlopPerToken / 1e6, 2)) M
                             \(flopFormula)
                ceiling      train \(f(ceilingTrainTokensPerSecond)) tokens/s (\(f(100 * trainCeilingShare)) % reached), \
                embed \(f(ceilingEmbedTokensPerSecond)) tokens/s (\(f(100 * embedCeilingShare)) % reached)
                peak RSS     \(f(Double(peakRssBytes) / 1_048_576)) MiB (\(f(Double(startupRssBytes) / 1_048_576)) MiB before \
                loading the model)
                kernels      \(kernels); frozen weights multiplied by \(frozenProducts)
                """
        }
    }
}
