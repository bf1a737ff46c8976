/// LoRA adapters on an encoder's linear layers: where they sit, their rank, alpha and dropout, and their weights.
public struct LoRAAdapter: Sendable, Equatable {
    /// The rank r of every adapter.
    public let rank: Int
    /// LoRA alpha; the update is scaled by alpha / r.
    public let alpha: Float
    /// The probability that dropout zeroes an input of an adapter while training.
    public let dropout: Float
    /// The adapted layers, sorted by layer then module.
    public let sites: [TargetSite]
    /// For site i, its `lora_A` at 2i and `lora_B` at 2i + 1.
    public var parameters: [Parameter]

    /// The factor applied to every adapter's output.
    public var scale: Float { alpha / Float(rank) }

    /// Adapters at `sites` with the given weights, ordered as `sites` (A then B for each).
    public init(rank: Int, alpha: Float, dropout: Float, sites: [TargetSite], parameters: [Parameter]) {
        precondition(parameters.count == 2 * sites.count, "need lora_A and lora_B for each site")
        self.rank = rank
        self.alpha = alpha
        self.dropout = dropout
        self.sites = sites
        self.parameters = parameters
    }

    /// The index of the site's `lora_A` in `parameters`, or nil when the module has no adapter.
    func parameterIndex(layer: Int, module: TargetModule) -> Int? {
        sites.firstIndex(of: TargetSite(layer: layer, module: module)).map { 2 * $0 }
    }

    /// The lowest layer that has an adapter; the backward pass stops there.
    var lowestLayer: Int? { sites.map(\.layer).min() }

    /// Sets every gradient to zero.
    public mutating func zeroGradients() {
        for index in parameters.indices { parameters[index].zeroGradient() }
    }
}
