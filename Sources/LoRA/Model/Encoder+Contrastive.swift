/// The outcome of the contrastive loss on one batch of pairs.
public struct ContrastiveResult: Sendable, Equatable {
    /// The mean cross-entropy over the batch's anchors.
    public let loss: Float
    /// How many anchors scored their own positive above every other positive of the batch.
    public let correct: Int
    /// The number of pairs.
    public let pairs: Int
    /// The number of real (unpadded) tokens encoded.
    public let tokens: Int
}

extension Encoder {
    /// The contrastive loss of `batch` (anchors first, then their positives in the same order),
    /// with the gradient of every adapter weight added to `adapter`'s parameters.
    ///
    /// The batch is split into one shard of whole sequences per thread; each shard's forward and
    /// backward pass runs whole on its thread, and only the loss and the summed gradients join them.
    public func contrastiveStep<R: RandomNumberGenerator>(
        _ batch: TokenBatch, adapter: inout LoRAAdapter, similarityScale: Float, random: inout R
    ) -> ContrastiveResult {
        precondition(batch.count >= 2 && batch.count % 2 == 0, "a batch of pairs has an even number of sequences")
        let width = config.hiddenSize
        let dropout = adapter.dropout > 0 ? Dropout(seed: random.next(), probability: adapter.dropout) : nil
        let passes = shardedForward(batch, adapter: adapter, dropout: dropout)
        let (loss, correct, gradient) = ContrastiveLoss.evaluate(
            Self.gather(passes, sequences: batch.count, width: width), pairs: batch.count / 2, width: width,
            scale: similarityScale)

        let shared = adapter
        let shardGradients = Workers.map(passes.count) { index in
            let (shard, pass, pooled) = passes[index]
            let rows = FloatBuffer(
                viewing: gradient, offset: shard.sequences.lowerBound * width, count: shard.sequences.count * width)
            let hiddenGradient = SentencePooling.backward(rows, pooled: pooled, batch: shard.batch, width: width)
            var local = shared
            local.zeroGradients()
            backward(pass, outputGradient: hiddenGradient, adapter: &local)
            return local.parameters
        }
        for parameters in shardGradients {
            for (index, parameter) in parameters.enumerated() {
                adapter.parameters[index].addGradient(parameter.gradient)
            }
        }
        return ContrastiveResult(loss: loss, correct: correct, pairs: batch.count / 2, tokens: batch.tokenCount)
    }

    /// The contrastive loss of `batch` without gradients or dropout, for evaluation.
    public func contrastiveLoss(_ batch: TokenBatch, adapter: LoRAAdapter?, similarityScale: Float) -> ContrastiveResult {
        precondition(batch.count >= 2 && batch.count % 2 == 0, "a batch of pairs has an even number of sequences")
        let (loss, correct, _) = ContrastiveLoss.evaluate(
            normalizedEmbeddings(batch, adapter: adapter), pairs: batch.count / 2, width: config.hiddenSize,
            scale: similarityScale)
        return ContrastiveResult(loss: loss, correct: correct, pairs: batch.count / 2, tokens: batch.tokenCount)
    }

    /// The forward pass and pooled embeddings of each shard of `batch`, one shard per thread, side by side.
    func shardedForward(
        _ batch: TokenBatch, adapter: LoRAAdapter?, dropout: Dropout?
    ) -> [(shard: BatchShard, pass: EncoderPass, pooled: SentencePooling.Pooled)] {
        let shards = batch.shards(Workers.isInside ? 1 : Workers.count)
        return Workers.map(shards.count) { index in
            let shard = shards[index]
            var shardDropout = dropout
            shardDropout?.firstRow = shard.firstRow
            let pass = forward(shard.batch, adapter: adapter, dropout: shardDropout)
            return (shard, pass, SentencePooling.forward(pass.output, batch: shard.batch, width: config.hiddenSize))
        }
    }

    /// Each sequence's normalised embedding without dropout, `[sequences, hidden]`, in the batch's order.
    func normalizedEmbeddings(_ batch: TokenBatch, adapter: LoRAAdapter?) -> FloatBuffer {
        Self.gather(shardedForward(batch, adapter: adapter, dropout: nil), sequences: batch.count, width: config.hiddenSize)
    }

    /// The shards' normalised embeddings as one `[sequences, width]` buffer, in the batch's order.
    static func gather(
        _ passes: [(shard: BatchShard, pass: EncoderPass, pooled: SentencePooling.Pooled)], sequences: Int, width: Int
    ) -> FloatBuffer {
        let all = FloatBuffer(uninitialized: sequences * width)
        for (shard, _, pooled) in passes {
            (all.base + shard.sequences.lowerBound * width).update(from: pooled.normalized.base, count: shard.sequences.count * width)
        }
        return all
    }
}
