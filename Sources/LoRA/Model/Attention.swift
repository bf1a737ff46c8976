import Dispatch

/// Multi-head scaled dot-product self-attention over padded sequences; padded keys get no weight.
///
/// Each head's products are small (T×T×d), and OpenBLAS's threads spend more time waking each
/// other than multiplying them; so sequences are spread over the cores here, with OpenBLAS on
/// one thread for the duration.
enum Attention {
    /// Runs `body` for each sequence on all cores, with OpenBLAS single-threaded meanwhile.
    static func perSequence(_ count: Int, _ body: (Int) -> Void) {
        let threads = BLAS.configuredThreads
        guard threads > 1, count > 1 else {
            for sequence in 0..<count { body(sequence) }
            return
        }
        BLAS.singleThreaded {
            withoutActuallyEscaping(body) { body in
                let work = UnsafeSendable(body)
                DispatchQueue.concurrentPerform(iterations: threads) { worker in
                    for sequence in stride(from: worker, to: count, by: threads) { work.value(sequence) }
                }
            }
        }
    }

    /// Each head's `softmax(Q Kᵀ / √d) V`; returns the probabilities `[sequences, heads, T, T]`
    /// and the heads' outputs side by side, `[N, hidden]`.
    static func forward(
        query: FloatBuffer, key: FloatBuffer, value: FloatBuffer, batch: TokenBatch, config: EncoderConfig
    ) -> (probabilities: FloatBuffer, context: FloatBuffer) {
        let (length, width, heads, size) = (batch.length, config.hiddenSize, config.headCount, config.headSize)
        let probabilities = FloatBuffer(zeros: batch.count * heads * length * length)
        let context = FloatBuffer(zeros: batch.count * length * width)
        let scale = 1 / Float(size).squareRoot()
        batch.mask.withUnsafeBufferPointer { mask in
            perSequence(batch.count) { sequence in
                let keyMask = mask.baseAddress! + sequence * length
                for head in 0..<heads {
                    let offset = sequence * length * width + head * size
                    let scores = probabilities.base + (sequence * heads + head) * length * length
                    BLAS.gemm(
                        transposeB: true, m: length, n: length, k: size, alpha: scale,
                        query.base + offset, lda: width, key.base + offset, ldb: width, scores, ldc: length)
                    Kernels.maskedSoftmax(scores, keyMask: keyMask, rows: length, width: length)
                    BLAS.gemm(
                        m: length, n: size, k: length,
                        scores, lda: length, value.base + offset, ldb: width, context.base + offset, ldc: width)
                }
            }
        }
        return (probabilities, context)
    }

    /// The gradients of query, key and value, `[N, hidden]` each, from the gradient of the heads' outputs.
    static func backward(
        contextGradient: FloatBuffer, probabilities: FloatBuffer, query: FloatBuffer, key: FloatBuffer,
        value: FloatBuffer, batch: TokenBatch, config: EncoderConfig
    ) -> (query: FloatBuffer, key: FloatBuffer, value: FloatBuffer) {
        let (length, width, heads, size) = (batch.length, config.hiddenSize, config.headCount, config.headSize)
        let rows = batch.count * length
        let (dQuery, dKey, dValue) = (FloatBuffer(zeros: rows * width), FloatBuffer(zeros: rows * width), FloatBuffer(zeros: rows * width))
        let scale = 1 / Float(size).squareRoot()
        perSequence(batch.count) { sequence in
            let scoresGradient = FloatBuffer(zeros: length * length)
            for head in 0..<heads {
                let offset = sequence * length * width + head * size
                let p = probabilities.base + (sequence * heads + head) * length * length
                let dContext = contextGradient.base + offset
                // dP = dContext · Vᵀ; dV = Pᵀ · dContext
                BLAS.gemm(
                    transposeB: true, m: length, n: length, k: size,
                    dContext, lda: width, value.base + offset, ldb: width, scoresGradient.base, ldc: length)
                BLAS.gemm(
                    transposeA: true, m: length, n: size, k: length,
                    p, lda: length, dContext, ldb: width, dValue.base + offset, ldc: width)
                Kernels.softmaxBackward(p, scoresGradient.base, rows: length, width: length)
                // dQ = dS · K · scale; dK = dSᵀ · Q · scale
                BLAS.gemm(
                    m: length, n: size, k: length, alpha: scale,
                    scoresGradient.base, lda: length, key.base + offset, ldb: width, dQuery.base + offset, ldc: width)
                BLAS.gemm(
                    transposeA: true, m: length, n: size, k: length, alpha: scale,
                    scoresGradient.base, lda: length, query.base + offset, ldb: width, dKey.base + offset, ldc: width)
            }
        }
        return (dQuery, dKey, dValue)
    }
}

/// A value handed to `concurrentPerform`'s workers, each of which touches disjoint memory.
private struct UnsafeSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
