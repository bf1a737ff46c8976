import Testing
@testable import LoRA

/// Query, key and value stacked into one layer: the whole holds the parts' rows in order, and
/// each part is a view into it, not a copy.
@Suite("stacked linear weights")
struct StackedWeightsTests {
    static func layer(_ outputs: Int, inputs: Int, first: Float) -> LinearWeights {
        LinearWeights(
            weight: FloatBuffer((0..<(outputs * inputs)).map { first + Float($0) }),
            bias: FloatBuffer((0..<outputs).map { -first - Float($0) }), inputSize: inputs, outputSize: outputs)
    }

    @Test("rows and biases in order; the parts are views that share the whole's memory")
    func stacked() {
        let parts = [Self.layer(2, inputs: 3, first: 0), Self.layer(1, inputs: 3, first: 100), Self.layer(2, inputs: 3, first: 200)]
        let (whole, views) = LinearWeights.stacked(parts)
        #expect(whole.outputSize == 5 && whole.inputSize == 3)
        #expect(whole.weight.array == parts.flatMap(\.weight.array))
        #expect(whole.bias.array == parts.flatMap(\.bias.array))
        #expect(views.map(\.weight.array) == parts.map(\.weight.array))
        #expect(views.map(\.bias.array) == parts.map(\.bias.array))
        #expect(views[1].weight.base == whole.weight.base + 6 && views[2].bias.base == whole.bias.base + 3)
        whole.weight[6] = -1
        #expect(views[1].weight[0] == -1, "a view reads the whole's memory")
    }
}
