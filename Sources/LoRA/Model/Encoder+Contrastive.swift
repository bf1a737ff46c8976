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
    public func contrastiveStep<R: RandomNumberGenerator>(
        _ batch: TokenBatch, adapter: inout LoRAAdapter, similarityScale: Float, random: inout R
    ) -> ContrastiveResult {
        precondition(batch.count >= 2 && batch.count % 2 == 0, "a batch of pairs has an even number of sequences")
        let pairs = batch.count / 2
        let pass = forward(batch, adapter: adapter, training: true, random: &random)
        let pooled = SentencePooling.forward(pass.output, batch: batch, width: config.hiddenSize)
        let (loss, correct, gradient) = ContrastiveLoss.evaluate(
            pooled.normalized, pairs: pairs, width: config.hiddenSize, scale: similarityScale)
        let hiddenGradient = SentencePooling.backward(gradient, pooled: pooled, batch: batch, width: config.hiddenSize)
        backward(pass, outputGradient: hiddenGradient, adapter: &adapter)
        return ContrastiveResult(loss: loss, correct: correct, pairs: pairs, tokens: batch.tokenCount)
    }

    /// The contrastive loss of `batch` without gradients or dropout, for evaluation.
    public func contrastiveLoss(_ batch: TokenBatch, adapter: LoRAAdapter?, similarityScale: Float) -> ContrastiveResult {
        precondition(batch.count >= 2 && batch.count % 2 == 0, "a batch of pairs has an even number of sequences")
        var unused = SystemRandomNumberGenerator()
        let pass = forward(batch, adapter: adapter, training: false, random: &unused)
        let pooled = SentencePooling.forward(pass.output, batch: batch, width: config.hiddenSize)
        let (loss, correct, _) = ContrastiveLoss.evaluate(
            pooled.normalized, pairs: batch.count / 2, width: config.hiddenSize, scale: similarityScale)
        return ContrastiveResult(loss: loss, correct: correct, pairs: batch.count / 2, tokens: batch.tokenCount)
    }
}
