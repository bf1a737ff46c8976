import Testing
@testable import LoRA

/// Expected values come from this NumPy float32 transcription of `torch.optim.AdamW`'s single-tensor step:
///
///     f = np.float32; p = np.array([0.5, -1.25, 2.0, 0.0], f); m = v = np.zeros(4, f)
///     for t, g in enumerate(grads, 1):
///         g = np.array(g, f); p = p * f(1 - lr * wd)
///         m = f(b1) * m + f(1 - b1) * g; v = f(b2) * v + (f(1 - b2) * g) * g
///         d = np.sqrt(v) / f((1 - b2**t) ** 0.5) + f(eps); p = p + (f(-(lr / (1 - b1**t))) * m) / d
@Suite("AdamW")
struct AdamWTests {
    static let gradients: [[Float]] = [[0.1, -0.2, 0.3, 0], [1.5, 0.25, -0.75, 1e-3], [-0.05, 0.4, 0, -2]]
    static let expected: [[UInt32]] = [
        [0x3eff7c46, 0xbf9fded2, 0x3fffde93, 0x0000_0000],
        [0x3eff1475, 0xbf9fe3be, 0x3fffec69, 0xba431178],
        [0x3efec6e4, 0xbf9ff641, 0x3ffff6f5, 0xb8dd71b0],
    ]

    static func parameter() -> Parameter { Parameter(name: "w", shape: [2, 2], value: [0.5, -1.25, 2, 0]) }

    @Test("three steps match PyTorch's AdamW arithmetic bit for bit, moments included")
    func matchesReference() {
        var parameters = [Self.parameter()]
        var optimizer = AdamW(weightDecay: 0.01)
        for (gradient, expected) in zip(Self.gradients, Self.expected) {
            parameters[0].gradient = gradient
            optimizer.step(&parameters, learningRate: 1e-3)
            #expect(parameters[0].value.map(\.bitPattern) == expected)
        }
        #expect(optimizer.state.step == 3)
        #expect(optimizer.state.moments[0].firstMoment.map(\.bitPattern) == [0x3e0d6a17, 0x3d3da512, 0xbd30f27b, 0xbe4cb535])
        #expect(optimizer.state.moments[0].secondMoment.map(\.bitPattern) == [0x3b14205e, 0x39898d09, 0x3a2adab6, 0x3b831271])
    }

    @Test("an optimizer restored from saved state continues exactly as the original")
    func restoredStateContinues() {
        var original = [Self.parameter()]
        var optimizer = AdamW(weightDecay: 0.01)
        original[0].gradient = Self.gradients[0]
        optimizer.step(&original, learningRate: 1e-3)
        var restored = original
        var resumed = AdamW(weightDecay: 0.01, state: optimizer.state)
        for gradient in Self.gradients.dropFirst() {
            original[0].gradient = gradient
            restored[0].gradient = gradient
            optimizer.step(&original, learningRate: 1e-3)
            resumed.step(&restored, learningRate: 1e-3)
        }
        #expect(restored[0].value.map(\.bitPattern) == Self.expected[2])
        #expect(resumed == optimizer)
    }

    @Test("clipping scales gradients to the maximum norm and returns the norm before clipping")
    func clipsGradientNorm() {
        var parameters = [Parameter(name: "a", shape: [2], value: [0, 0]), Parameter(name: "b", shape: [1], value: [0])]
        parameters[0].gradient = [3, 0]
        parameters[1].gradient = [4]
        let norm = GradientClipping.clipNorm(&parameters, maxNorm: 1)
        #expect(norm == 5)
        let factor = Float(1 / (5 + 1e-6))
        #expect(parameters[0].gradient == [3 * factor, 0])
        #expect(parameters[1].gradient == [4 * factor])
    }

    @Test("gradients under the maximum, or with clipping off, are left untouched")
    func leavesSmallGradients() {
        var parameters = [Parameter(name: "a", shape: [2], value: [0, 0])]
        parameters[0].gradient = [0.3, 0.4]
        #expect(abs(GradientClipping.clipNorm(&parameters, maxNorm: 1) - 0.5) < 1e-7)
        #expect(GradientClipping.clipNorm(&parameters, maxNorm: 0) > 0)
        #expect(parameters[0].gradient == [0.3, 0.4])
    }

    @Test("averaging over accumulation steps divides every gradient by their count")
    func averagesAccumulatedGradients() {
        var parameters = [Parameter(name: "a", shape: [3], value: [0, 0, 0])]
        parameters[0].gradient = [3, -1.5, 0.3]
        GradientClipping.average(&parameters, overAccumulationSteps: 3)
        #expect(parameters[0].gradient == [1, -0.5, 0.3 / 3])
    }
}
