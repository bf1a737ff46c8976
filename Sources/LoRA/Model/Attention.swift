/// Multi-head scaled dot-product self-attention within each sequence of a packed batch.
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

    /// Where each sequence's `heads` score blocks of T×T start, and the total, for a packed batch.
    static func scoreOffsets(_ batch: TokenBatch, heads: Int) -> (offsets: [Int], total: Int) {
        var offsets: [Int] = []
        var total = 0
        for length in batch.lengths {
            offsets.append(total)
            total += heads * length * length
        }
        return (offsets, total)
    }

    /// Each head's `softmax(Q Kᵀ / √d) V` from query, key and value side by side (`[N, 3·hidden]`);
    /// returns the probabilities (each sequence's `[heads, T, T]` one after the other) and the
    /// heads' outputs side by side, `[N, hidden]`.
    static func forward(
        queryKeyValue: FloatBuffer, batch: TokenBatch, config: EncoderConfig
    ) -> (probabilities: FloatBuffer, context: FloatBuffer) {
        let (width, heads, size) = (config.hiddenSize, config.headCount, config.headSize)
        let stride = 3 * width
        let (query, key, value) = (queryKeyValue.base, queryKeyValue.base + width, queryKeyValue.base + 2 * width)
        let (blocks, total) = scoreOffsets(batch, heads: heads)
        let probabilities = FloatBuffer(uninitialized: total)
        let context = FloatBuffer(uninitialized: batch.tokenCount * width)
        let scale = 1 / Float(size).squareRoot()
        perHead(sequences: batch.count, heads: heads) { sequence, head in
            let (length, first) = (batch.lengths[sequence], batch.offsets[sequence])
            guard length > 0 else { return }
            let offset = first * width + head * size
            let inputOffset = first * stride + head * size
            let scores = probabilities.base + blocks[sequence] + head * length * length
            BLAS.gemm(
                transposeB: true, m: length, n: length, k: size, alpha: scale,
                query + inputOffset, lda: stride, key + inputOffset, ldb: stride, scores, ldc: length)
            Kernels.softmax(scores, rows: length, width: length)
            BLAS.gemm(
                m: length, n: size, k: length,
                scores, lda: length, value + inputOffset, ldb: stride, context.base + offset, ldc: width)
        }
        return (probabilities, context)
    }

    /// The gradients of query, key and value side by side, `[N, 3·hidden]`, from the gradient of
    /// the heads' outputs.
    static func backward(
        contextGradient: FloatBuffer, probabilities: FloatBuffer, queryKeyValue: FloatBuffer, batch: TokenBatch,
        config: EncoderConfig
    ) -> FloatBuffer {
        let (width, heads, size) = (config.hiddenSize, config.headCount, config.headSize)
        let stride = 3 * width
        let (query, key, value) = (queryKeyValue.base, queryKeyValue.base + width, queryKeyValue.base + 2 * width)
        let gradient = FloatBuffer(uninitialized: batch.tokenCount * stride)  // every head writes its columns of all three
        let (dQuery, dKey, dValue) = (gradient.base, gradient.base + width, gradient.base + 2 * width)
        let scale = 1 / Float(size).squareRoot()
        // One scratch block of T×T per (sequence, head), so that the pairs need no coordination.
        let (blocks, total) = scoreOffsets(batch, heads: heads)
        let scoresGradients = FloatBuffer(uninitialized: total)
        perHead(sequences: batch.count, heads: heads) { sequence, head in
            let (length, first) = (batch.lengths[sequence], batch.offsets[sequence])
            guard length > 0 else { return }
            let block = blocks[sequence] + head * length * length
            let scoresGradient = scoresGradients.base + block
            let p = probabilities.base + block
            let offset = first * width + head * size
            let inputOffset = first * stride + head * size
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
