/// The initial LoRA weights of a new adapter, as PEFT's default `init_lora_weights=True` makes them.
public enum LoRAInitialization {
    /// For each site in order, `lora_A` `[rank, in]` drawn uniformly from ±1/√in (PyTorch's
    /// `kaiming_uniform_(a=√5)`) in row-major order, then `lora_B` `[out, rank]` zeros.
    public static func parameters(
        sites: [TargetSite], rank: Int, hiddenSize: Int, intermediateSize: Int, rng: inout RandomGenerator
    ) -> [Parameter] {
        precondition(rank > 0, "the LoRA rank must be positive")
        var parameters: [Parameter] = []
        parameters.reserveCapacity(2 * sites.count)
        for site in sites {
            let (inputs, outputs) = site.module.features(hiddenSize: hiddenSize, intermediateSize: intermediateSize)
            let bound = 1 / Float(inputs).squareRoot()
            var a = [Float](repeating: 0, count: rank * inputs)
            for i in a.indices { a[i] = rng.uniform(-bound, bound) }
            parameters.append(Parameter(name: site.parameterName(.a), shape: [rank, inputs], value: a))
            parameters.append(Parameter(name: site.parameterName(.b), shape: [outputs, rank],
                                        value: [Float](repeating: 0, count: outputs * rank)))
        }
        return parameters
    }
}

extension TargetModule {
    /// The module's input and output widths in an encoder of the given sizes.
    func features(hiddenSize: Int, intermediateSize: Int) -> (inputs: Int, outputs: Int) {
        switch self {
        case .query, .key, .value, .attentionOutput: (hiddenSize, hiddenSize)
        case .intermediate: (hiddenSize, intermediateSize)
        case .output: (intermediateSize, hiddenSize)
        }
    }
}
