import Foundation

/// Contrastive loss over sentence pairs with in-batch negatives, as sentence-transformers'
/// MultipleNegativesRankingLoss: cross-entropy of each anchor's scaled cosine similarities,
/// with its own positive as the label.
enum ContrastiveLoss {
    /// The mean loss, how many anchors ranked their own positive first, and the gradient of the
    /// loss with respect to the embeddings (anchors in rows 0..<pairs, positives after them).
    static func evaluate(
        _ embeddings: FloatBuffer, pairs: Int, width: Int, scale: Float
    ) -> (loss: Float, correct: Int, gradient: FloatBuffer) {
        let anchors = embeddings.base
        let positives = embeddings.base + pairs * width
        let scores = FloatBuffer(zeros: pairs * pairs)
        BLAS.gemm(
            transposeB: true, m: pairs, n: pairs, k: width, alpha: scale,
            anchors, lda: width, positives, ldb: width, scores.base, ldc: pairs)
        var loss = 0.0
        var correct = 0
        for row in 0..<pairs {
            let line = scores.base + row * pairs
            var maximum = -Float.infinity
            var best = 0
            for column in 0..<pairs where line[column] > maximum {
                maximum = line[column]
                best = column
            }
            if best == row { correct += 1 }
            var sum = 0.0
            for column in 0..<pairs { sum += Double(expf(line[column] - maximum)) }
            loss += Double(maximum) + log(sum) - Double(line[row])
            // Softmax minus the one-hot label, over the batch: dLoss/dScores.
            for column in 0..<pairs {
                let probability = Float(Double(expf(line[column] - maximum)) / sum)
                line[column] = (probability - (column == row ? 1 : 0)) / Float(pairs)
            }
        }
        let gradient = FloatBuffer(zeros: 2 * pairs * width)
        // dAnchors = scale · dS · P; dPositives = scale · dSᵀ · A
        BLAS.gemm(
            m: pairs, n: width, k: pairs, alpha: scale,
            scores.base, lda: pairs, positives, ldb: width, gradient.base, ldc: width)
        BLAS.gemm(
            transposeA: true, m: pairs, n: width, k: pairs, alpha: scale,
            scores.base, lda: pairs, anchors, ldb: width, gradient.base + pairs * width, ldc: width)
        return (Float(loss / Double(pairs)), correct, gradient)
    }
}
