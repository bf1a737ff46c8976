extension Encoder {
    /// One post-LayerNorm transformer layer: self-attention, residual and LayerNorm, then GELU
    /// feed-forward, residual and LayerNorm.
    func layer<R: RandomNumberGenerator>(
        _ index: Int, _ weights: EncoderLayerWeights, input: FloatBuffer, batch: TokenBatch,
        adapter: LoRAAdapter?, training: Bool, random: inout R
    ) -> LayerActivations {
        let rows = batch.count * batch.length
        let (width, inner, epsilon) = (config.hiddenSize, config.intermediateSize, config.layerNormEpsilon)
        let saved = LayerActivations(input: input)
        func project(_ module: TargetModule, _ x: FloatBuffer, random: inout R) -> FloatBuffer {
            let (y, adapted) = linear(
                weights.linear(module), x, rows: rows, adapter: adapter, layer: index, module: module,
                training: training, random: &random)
            if let adapted { saved.adapters[module] = adapted }
            return y
        }

        saved.query = project(.query, input, random: &random)
        saved.key = project(.key, input, random: &random)
        saved.value = project(.value, input, random: &random)
        (saved.probabilities, saved.context) = Attention.forward(
            query: saved.query, key: saved.key, value: saved.value, batch: batch, config: config)

        let attention = project(.attentionOutput, saved.context, random: &random)
        Kernels.add(attention.base, input.base, into: attention.base, count: rows * width)
        saved.attentionNorm = LayerNormPass(attention, weights.attentionNorm, rows: rows, width: width, epsilon: epsilon)
        saved.hidden = attention

        saved.intermediatePre = project(.intermediate, saved.hidden, random: &random)
        saved.intermediate = FloatBuffer(uninitialized: rows * inner)
        Kernels.gelu(saved.intermediatePre.base, into: saved.intermediate.base, count: rows * inner)

        let output = project(.output, saved.intermediate, random: &random)
        Kernels.add(output.base, saved.hidden.base, into: output.base, count: rows * width)
        saved.outputNorm = LayerNormPass(output, weights.outputNorm, rows: rows, width: width, epsilon: epsilon)
        saved.output = output
        return saved
    }
}
