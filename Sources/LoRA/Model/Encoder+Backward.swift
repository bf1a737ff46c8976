extension Encoder {
    /// Adds the loss's gradient for every adapter weight to `adapter`, given the gradient of the
    /// last hidden states; goes down no further than the lowest adapted layer.
    func backward(_ pass: EncoderPass, outputGradient: FloatBuffer, adapter: inout LoRAAdapter) {
        guard let lowest = adapter.lowestLayer else { return }
        var gradient = outputGradient
        for index in stride(from: config.layerCount - 1, through: lowest, by: -1) {
            gradient = layerBackward(
                index, weights.layers[index], pass.layers[index], outputGradient: gradient, batch: pass.batch,
                adapter: &adapter, needsInputGradient: index > lowest) ?? gradient
        }
    }

    /// One layer's backward pass; returns the gradient of its input when asked for.
    func layerBackward(
        _ index: Int, _ weights: EncoderLayerWeights, _ saved: LayerActivations, outputGradient: FloatBuffer,
        batch: TokenBatch, adapter: inout LoRAAdapter, needsInputGradient: Bool
    ) -> FloatBuffer? {
        let rows = batch.tokenCount
        let (width, inner) = (config.hiddenSize, config.intermediateSize)
        @discardableResult
        func project(_ module: TargetModule, _ dy: FloatBuffer, addingTo dx: FloatBuffer?) -> FloatBuffer {
            linearBackward(
                weights.linear(module), dy: dy, rows: rows, addingTo: dx, adapter: &adapter, layer: index,
                module: module, activations: saved.adapters[module])
        }

        let outputSum = saved.outputNorm.backward(outputGradient, weights.outputNorm, rows: rows, width: width)
        let intermediate = project(.output, outputSum, addingTo: nil)
        Kernels.geluBackward(saved.intermediatePre.base, intermediate.base, count: rows * inner)
        // The residual's share and the feed-forward's, summed in place: nothing reads outputSum after.
        let hidden = outputSum
        project(.intermediate, intermediate, addingTo: hidden)

        let attentionSum = saved.attentionNorm.backward(hidden, weights.attentionNorm, rows: rows, width: width)
        let context = project(.attentionOutput, attentionSum, addingTo: nil)
        let stackedGradient = Attention.backward(
            contextGradient: context, probabilities: saved.probabilities, queryKeyValue: saved.queryKeyValue,
            batch: batch, config: config)

        // The input gradient of query, key and value in one product with the stacked weights.
        let stacked = weights.queryKeyValue
        let input = needsInputGradient ? attentionSum : nil  // summed in place, as `hidden` above
        if let input { stacked.inputGradient(stackedGradient, rows: rows, addingTo: input) }
        for (block, module) in Self.attentionInputs.enumerated() {
            adapterBackward(
                dy: stackedGradient.base + block * width, ldy: stacked.outputSize, rows: rows, inputSize: width,
                outputSize: width, dx: input, adapter: &adapter, layer: index, module: module,
                activations: saved.adapters[module])
        }
        return input
    }
}
