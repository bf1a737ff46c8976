/// What the forward pass keeps of one transformer layer for the backward pass.
final class LayerActivations {
    /// The layer's input, `[N, hidden]`.
    let input: FloatBuffer
    /// Query, key and value projections side by side, `[N, 3·hidden]`.
    var queryKeyValue: FloatBuffer
    /// Attention probabilities: each sequence's `[heads, T, T]`, one after the other.
    var probabilities: FloatBuffer
    /// The heads' outputs side by side, `[N, hidden]`.
    var context: FloatBuffer
    /// The attention block's LayerNorm.
    var attentionNorm = LayerNormPass.empty
    /// The attention block's output after its LayerNorm, `[N, hidden]`.
    var hidden: FloatBuffer
    /// The feed-forward layer before and after GELU, `[N, intermediate]`.
    var intermediatePre, intermediate: FloatBuffer
    /// The feed-forward block's LayerNorm.
    var outputNorm = LayerNormPass.empty
    /// The layer's output, `[N, hidden]`.
    var output: FloatBuffer
    /// Each adapter's (dropped-out) input and its down projection.
    var adapters: [TargetModule: AdapterActivations] = [:]

    init(input: FloatBuffer) {
        self.input = input
        let empty = FloatBuffer(zeros: 0)
        (queryKeyValue, probabilities, context, hidden) = (empty, empty, empty, empty)
        (intermediatePre, intermediate, output) = (empty, empty, empty)
    }
}

/// What one adapter keeps for the backward pass.
struct AdapterActivations {
    /// The adapter's input after dropout (the layer's input itself when there is none), `[N, in]`.
    let input: FloatBuffer
    /// The inverted-dropout factors applied to the input, when dropout was on.
    let mask: FloatBuffer?
    /// The input times Aᵀ, `[N, r]`.
    let down: FloatBuffer
}

/// A forward pass over a batch, kept for the backward pass.
final class EncoderPass {
    /// The input batch.
    let batch: TokenBatch
    /// Each layer's activations, lowest first.
    var layers: [LayerActivations] = []
    /// The last layer's output, `[N, hidden]`.
    var output: FloatBuffer

    init(batch: TokenBatch, embeddings: FloatBuffer) {
        self.batch = batch
        self.output = embeddings
    }
}
