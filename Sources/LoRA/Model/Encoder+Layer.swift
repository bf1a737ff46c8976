extension Encoder {
    /// One post-LayerNorm transformer layer: self-attention, residual and LayerNorm, then GELU
    /// feed-forward, residual and LayerNorm.
    func layer(
        _ index: Int, _ weights: EncoderLayerWeights, input: FloatBuffer, batch: TokenBatch,
        adapter: LoRAAdapter?, dropout: Dropout?
    ) -> LayerActivations {
        let rows = batch.tokenCount
        let (width, inner, epsilon) = (config.hiddenSize, config.intermediateSize, config.layerNormEpsilon)
        let saved = LayerActivations(input: input)
        func project(_ module: TargetModule, _ x: FloatBuffer) -> FloatBuffer {
            let (y, adapted) = linear(
                weights.linear(module), x, rows: rows, adapter: adapter, layer: index, module: module,
                dropout: dropout)
            if let adapted { saved.adapters[module] = adapted }
            return y
        }

        // Query, key and value in one product, `[N, 3·hidden]`; each adapter adds into its block.
        let stacked = weights.queryKeyValue
        saved.queryKeyValue = stacked.forward(input, rows: rows)
        for (block, module) in Self.attentionInputs.enumerated() {
            saved.adapters[module] = addAdapter(
                input, rows: rows, inputSize: width, outputSize: width, into: saved.queryKeyValue.base + block * width,
                ldy: stacked.outputSize, adapter: adapter, layer: index, module: module, dropout: dropout)
        }
        (saved.probabilities, saved.context) = Attention.forward(
            queryKeyValue: saved.queryKeyValue, batch: batch, config: config)

        let attention = project(.attentionOutput, saved.context)
        saved.attentionNorm = LayerNormPass(
            attention, adding: input, weights.attentionNorm, rows: rows, width: width, epsilon: epsilon)
        saved.hidden = attention

        saved.intermediatePre = project(.intermediate, saved.hidden)
        saved.intermediate = FloatBuffer(uninitialized: rows * inner)
        Kernels.gelu(saved.intermediatePre.base, into: saved.intermediate.base, count: rows * inner)

        let output = project(.output, saved.intermediate)
        saved.outputNorm = LayerNormPass(
            output, adding: saved.hidden, weights.outputNorm, rows: rows, width: width, epsilon: epsilon)
        saved.output = output
        return saved
    }

    /// The modules whose outputs are the blocks of the stacked query-key-value product, in order.
    static let attentionInputs: [TargetModule] = [.query, .key, .value]
}
