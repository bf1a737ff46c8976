/// Evaluates held-out pairs: the contrastive loss over batches and top-1 retrieval accuracy over all of them.
struct Evaluator {
    let encoder: Encoder
    let anchors: [WordPieceTokenizer.Encoding]
    let positives: [WordPieceTokenizer.Encoding]
    let batchSize: Int
    let similarityScale: Float

    /// The loss and accuracy of `adapter` (the base model when nil), or nil without held-out pairs.
    func evaluate(_ adapter: LoRAAdapter?) -> EvaluationResult? {
        let count = anchors.count
        guard count >= 2 else { return nil }
        var anchorEmbeddings: [[Float]] = []
        var positiveEmbeddings: [[Float]] = []
        var lossSum = 0.0
        var batches = 0
        for range in Self.batches(count: count, size: batchSize) {
            let embeddings = encoder.embed(TokenBatch(Array(anchors[range]) + Array(positives[range])), adapter: adapter)
            let pairs = range.count
            anchorEmbeddings += embeddings[0..<pairs]
            positiveEmbeddings += embeddings[pairs...]
            lossSum += Double(Self.loss(Array(embeddings[0..<pairs]), Array(embeddings[pairs...]), scale: similarityScale))
            batches += 1
        }
        var correct = 0
        for (index, anchor) in anchorEmbeddings.enumerated() {
            var best = -Float.infinity
            var bestIndex = -1
            for (candidate, positive) in positiveEmbeddings.enumerated() {
                var dot: Float = 0
                for column in anchor.indices { dot += anchor[column] * positive[column] }
                if dot > best { (best, bestIndex) = (dot, candidate) }
            }
            if bestIndex == index { correct += 1 }
        }
        return EvaluationResult(loss: Float(lossSum / Double(batches)), accuracy: Double(correct) / Double(count), pairs: count)
    }

    /// Consecutive batches of at most `size` items covering `0..<count`; a last batch of one joins the one before.
    static func batches(count: Int, size: Int) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        while start < count {
            let end = batchEnd(start: start, count: count, size: size)
            ranges.append(start..<end)
            start = end
        }
        return ranges
    }

    /// Where a batch of at most `size` items starting at `start` ends, so that no batch of one item is left over.
    static func batchEnd(start: Int, count: Int, size: Int) -> Int {
        let end = min(start + size, count)
        return count - end == 1 ? count : end
    }

    /// The contrastive loss of normalised anchor and positive embeddings.
    static func loss(_ anchors: [[Float]], _ positives: [[Float]], scale: Float) -> Float {
        let width = anchors.first?.count ?? 0
        let buffer = FloatBuffer((anchors + positives).flatMap { $0 })
        return ContrastiveLoss.evaluate(buffer, pairs: anchors.count, width: width, scale: scale).loss
    }
}
