/// Multi-head scaled dot-product self-attention over padded sequences; padded keys get no weight.
///
/// Each head's products are small (T×T×d): the (sequence, head) pairs are spread over the
/// workers, and each runs its products on its own thread.
enum Attention {
    /// Runs `body(sequence, head)` for every pair, spread over the workers.
    static func perHead(sequences: Int, heads: Int, _ body: (Int, Int) -> Void) {
        Workers.forEachRange(sequences * heads) { pairs in
            for pair in pairs { body(pair / heads, pair % heads) }
        }
    }

    /// Each head's `softmax(Q Kᵀ / √d) V` from query, key and value side by side (`[N, 3·hidden]`);
    /// returns the probabilities `[sequences, heads, T, T]` and the heads' outputs side by side,
    /// `[N, hidden]`.
    static func forward(
        queryKeyValue: FloatBuffer, batch: TokenBatch, config: EncoderConfig
    ) -> (probabilities: FloatBuffer, context: FloatBuffer) {
        let (length, width, heads, size) = (batch.length, config.hiddenSize, config.headCount, config.headSize)
        let stride = 3 * width
        let (query, key, value) = (queryKeyValue.base, queryKeyValue.base + width, queryKeyValue.base + 2 * width)
        let probabilities = FloatBuffer(uninitialized: batch.count * heads * length * length)
        let context = FloatBuffer(uninitialized: batch.count * length * width)
        let scale = 1 / Float(size).squareRoot()
        batch.mask.withUnsafeBufferPointer { mask in
            perHead(sequences: batch.count, heads: heads) { sequence, head in
                let keyMask = mask.baseAddress! + sequence * length
                let offset = sequence * length * width + head * size
                let inputOffset = sequence * length * stride + head * size
                let scores = probabilities.base + (sequence * heads + head) * length * length
                BLAS.gemm(
                    transposeB: true, m: length, n: length, k: size, alpha: scale,
                    query + inputOffset, lda: stride, key + inputOffset, ldb: stride, scores, ldc: length)
                Kernels.maskedSoftmax(scores, keyMask: keyMask, rows: length, width: length)
                BLAS.gemm(
                    m: length, n: size, k: length,
                    scores, lda: length, value + inputOffset, ldb: stride, context.base + offset, ldc: width)
            }
        }
        return (probabilities, context)
    }

    /// The gradients of query, key and value side by side, `[N, 3·hidden]`, from the gradient of
    /// the heads' outputs.
    static func backward(
        contextGradient: FloatBuffer, probabilities: FloatBuffer, queryKeyValue: FloatBuffer, batch: TokenBatch,
        config: EncoderConfig
    ) -> FloatBuffer {
        let (length, width, heads, size) = (batch.length, config.hiddenSize, config.headCount, config.headSize)
        let rows = batch.count * length
        let stride = 3 * width
        let (query, key, value) = (queryKeyValue.base, queryKeyValue.base + width, queryKeyValue.base + 2 * width)
        let gradient = FloatBuffer(uninitialized: rows * stride)  // every head writes its columns of all three
        let (dQuery, dKey, dValue) = (gradient.base, gradient.base + width, gradient.base + 2 * width)
        let scale = 1 / Float(size).squareRoot()
        // One scratch block of T×T per (sequence, head), so that the pairs need no coordination.
        let scoresGradients = FloatBuffer(uninitialized: batch.count * heads * length * length)
        perHead(sequences: batch.count, heads: heads) { sequence, head in
            let scoresGradient = scoresGradients.base + (sequence * heads + head) * length * length
            let offset = sequence * length * width + head * size
            let inputOffset = sequence * length * stride + head * size
            let p = probabilities.base + (sequence * heads + head) * length * length
            let dContext = contextGradient.base + offset
            // dP = dContext · Vᵀ; dV = Pᵀ · dContext
            BLAS.gemm(
                transposeB: true, m: length, n: length, k: size,
                dContext, lda: width, value + inputOffset, ldb: stride, scoresGradient, ldc: length)
            BLAS.gemm(
                transposeA: true, m: length, n: size, k: length,
                p, lda: length, dContext, ldb: width, dValue + inputOffset, ldc: stride)
            Kernels.softmaxBackward(p, scoresGradient, rows: length, width: length)
            // dQ = dS · K · scale; dK = dSᵀ · Q · scale
            BLAS.gemm(
                m: length, n: size, k: length, alpha: scale,
                scoresGradient, lda: length, key + inputOffset, ldb: stride, dQuery + inputOffset, ldc: stride)
            BLAS.gemm(
                transposeA: true, m: length, n: size, k: length, alpha: scale,
                scoresGradient, lda: length, query + inputOffset, ldb: stride, dKey + inputOffset, ldc: stride)
        }
        return gradient
    }
}
