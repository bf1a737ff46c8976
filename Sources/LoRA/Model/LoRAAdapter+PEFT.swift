extension LoRAAdapter {
    /// The adapter a PEFT directory holds, checked against the encoder it will run on.
    public init(_ peft: PEFTAdapter, for config: EncoderConfig, path: String) throws(LoRAError) {
        var sites: [TargetSite] = []
        for (index, parameter) in peft.parameters.enumerated() {
            guard let (site, matrix) = PEFTAdapter.parseName(parameter.name) else {
                throw .invalidAdapter(path: path, reason: "tensor \"\(parameter.name)\" is not a LoRA weight")
            }
            guard matrix == (index % 2 == 0 ? .a : .b) else {
                throw .invalidAdapter(path: path, reason: "tensor \"\(parameter.name)\" is out of order")
            }
            guard site.layer < config.layerCount else {
                throw .invalidAdapter(
                    path: path, reason: "tensor \"\(parameter.name)\" is for layer \(site.layer); the model has \(config.layerCount)")
            }
            let (inputs, outputs) = site.module.features(hiddenSize: config.hiddenSize, intermediateSize: config.intermediateSize)
            let expected = matrix == .a ? [peft.config.rank, inputs] : [outputs, peft.config.rank]
            guard parameter.shape == expected else {
                throw .invalidAdapter(
                    path: path, reason: "tensor \"\(parameter.name)\" has shape \(parameter.shape); this model needs \(expected)")
            }
            if matrix == .a { sites.append(site) }
        }
        self.init(
            rank: peft.config.rank, alpha: Float(peft.config.alpha), dropout: Float(peft.config.dropout),
            sites: sites, parameters: peft.parameters)
    }
}
