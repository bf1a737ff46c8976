/// Mean pooling over real tokens and L2 normalisation, as sentence-transformers' Pooling and Normalize modules.
enum SentencePooling {
    /// The pooled rows `[sequences, hidden]`, their norms, and the normalised embeddings.
    struct Pooled {
        let mean: FloatBuffer
        let norms: [Float]
        let normalized: FloatBuffer
    }

    /// Pools `hidden` (`[tokens, width]`) over each sequence's rows, then normalises each row.
    static func forward(_ hidden: FloatBuffer, batch: TokenBatch, width: Int) -> Pooled {
        let mean = FloatBuffer(zeros: batch.count * width)
        let normalized = FloatBuffer(zeros: batch.count * width)
        var norms: [Float] = []
        for sequence in 0..<batch.count {
            let row = mean.base + sequence * width
            for token in batch.rows(of: sequence) {
                let line = hidden.base + token * width
                for column in 0..<width { row[column] += line[column] }
            }
            let divisor = max(Float(batch.lengths[sequence]), 1e-9)
            var squares: Float = 0
            for column in 0..<width {
                row[column] /= divisor
                squares += row[column] * row[column]
            }
            let norm = squares.squareRoot()
            norms.append(norm)
            let inverse = 1 / max(norm, 1e-12)
            for column in 0..<width { normalized.base[sequence * width + column] = row[column] * inverse }
        }
        return Pooled(mean: mean, norms: norms, normalized: normalized)
    }

    /// The gradient of the hidden states `[tokens, width]` from the gradient of the normalised embeddings.
    static func backward(_ gradient: FloatBuffer, pooled: Pooled, batch: TokenBatch, width: Int) -> FloatBuffer {
        let hiddenGradient = FloatBuffer(uninitialized: batch.tokenCount * width)  // every row is a sequence's
        var meanGradient = [Float](repeating: 0, count: width)
        for sequence in 0..<batch.count {
            let n = pooled.normalized.base + sequence * width
            let g = gradient.base + sequence * width
            let norm = pooled.norms[sequence]
            if norm > 1e-12 {
                var dot: Float = 0
                for column in 0..<width { dot += n[column] * g[column] }
                for column in 0..<width { meanGradient[column] = (g[column] - n[column] * dot) / norm }
            } else {
                for column in 0..<width { meanGradient[column] = g[column] / 1e-12 }
            }
            let divisor = max(Float(batch.lengths[sequence]), 1e-9)
            for token in batch.rows(of: sequence) {
                let line = hiddenGradient.base + token * width
                for column in 0..<width { line[column] = meanGradient[column] / divisor }
            }
        }
        return hiddenGradient
    }
}
