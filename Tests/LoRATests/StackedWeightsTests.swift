import Testing
@testable import LoRA

/// Query, key and value stacked into one layer: the whole holds the parts' rows and biases in order.
@Suite("stacked linear weights")
struct StackedWeightsTests {
    static func layer(_ outputs: Int, inputs: Int, first: Float) -> LinearWeights {
        LinearWeights(
            weight: FloatBuffer((0..<(outputs * inputs)).map { first + Float($0) }),
            bias: FloatBuffer((0..<outputs).map { -first - Float($0) }), inputSize: inputs, outputSize: outputs)
    }

    @Test("rows and biases in order")
    func stacked() {
        let parts = [Self.layer(2, inputs: 3, first: 0), Self.layer(1, inputs: 3, first: 100), Self.layer(2, inputs: 3, first: 200)]
        let whole = LinearWeights.stacked(parts)
        #expect(whole.outputSize == 5 && whole.inputSize == 3)
        #expect(whole.storedWeight.array == parts.flatMap(\.storedWeight.array))
        #expect(whole.bias.array == parts.flatMap(\.bias.array))
    }
}
