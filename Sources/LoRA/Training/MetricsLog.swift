import Foundation

/// The run's `metrics.jsonl`: one JSON object per step and per evaluation, for plotting.
final class MetricsLog {
    private let handle: FileHandle
    private let path: String

    /// Opens `path` for appending; lines of steps after `step` (left by a run that was killed) are dropped.
    init(path: String, keepingThrough step: Int) throws(LoRAError) {
        self.path = path
        var kept = Data()
        if let existing = FileManager.default.contents(atPath: path), step > 0 {
            for line in existing.split(separator: UInt8(ascii: "\n")) {
                let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
                if let lineStep = object?["step"] as? Int, lineStep <= step { kept.append(contentsOf: line + [10]) }
            }
        }
        guard FileManager.default.createFile(atPath: path, contents: kept), let handle = FileHandle(forWritingAtPath: path) else {
            throw .cannotWrite(path: path, reason: "cannot create the metrics file")
        }
        handle.seekToEndOfFile()
        self.handle = handle
    }

    deinit { try? handle.close() }

    /// Appends a step's figures.
    func record(_ metrics: StepMetrics) { write(metrics) }

    /// Appends an evaluation's figures after `step` steps.
    func record(step: Int, _ evaluation: EvaluationResult) {
        write(EvaluationLine(step: step, evalLoss: evaluation.loss, evalAccuracy: evaluation.accuracy, evalPairs: evaluation.pairs))
    }

    private func write(_ value: some Encodable) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard var data = try? encoder.encode(value) else { return }
        data.append(10)
        handle.write(data)
    }

    private struct EvaluationLine: Encodable {
        let step: Int
        let evalLoss: Float
        let evalAccuracy: Double
        let evalPairs: Int
        enum CodingKeys: String, CodingKey {
            case step, evalLoss = "eval_loss", evalAccuracy = "eval_accuracy", evalPairs = "eval_pairs"
        }
    }
}
