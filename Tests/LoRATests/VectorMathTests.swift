import Foundation
import Testing
@testable import LoRA

/// The eight-lane `exp`, `erf` and GELU against the C library's scalar functions.
@Suite("vector math")
struct VectorMathTests {
    /// Every value from `lower` to `upper` in `count` steps, eight at a time.
    static func sweep(_ lower: Float, _ upper: Float, count: Int = 80_000, _ check: (VectorMath.Lanes) -> Void) {
        for start in stride(from: 0, to: count, by: 8) {
            var lanes = VectorMath.Lanes()
            for lane in 0..<8 { lanes[lane] = lower + (upper - lower) * Float(start + lane) / Float(count) }
            check(lanes)
        }
    }

    @Test("exp is within 4e-7 of expf, relative, from -87 to 88")
    func expMatchesLibm() {
        var worst: Float = 0
        Self.sweep(-87, 88) { x in
            let fast = VectorMath.exp(x)
            for lane in 0..<8 {
                let exact = exp(Double(x[lane]))
                worst = max(worst, Float(abs(Double(fast[lane]) - exact) / exact))
            }
        }
        #expect(worst < 4e-7, "\(worst)")
        #expect(VectorMath.exp(VectorMath.Lanes(repeating: -200))[0] < 1e-37)
        #expect(VectorMath.exp(VectorMath.Lanes(repeating: 0))[0] == 1)
    }

    @Test("erf is within 1e-6 of erf, absolute, and odd")
    func erfMatchesLibm() {
        var worst: Float = 0
        Self.sweep(-6, 6) { x in
            let fast = VectorMath.erf(x)
            for lane in 0..<8 { worst = max(worst, Float(abs(Double(fast[lane]) - erf(Double(x[lane]))))) }
        }
        #expect(worst < 1e-6, "\(worst)")
        let x = VectorMath.Lanes(-3, -1, -0.5, 0, 0.5, 1, 3, 10)
        #expect(VectorMath.erf(x) == -VectorMath.erf(-x))
    }

    @Test("GELU and its derivative are within 1e-6 of the scalar formulas")
    func geluMatchesFormula() {
        var worst: (value: Double, derivative: Double) = (0, 0)
        Self.sweep(-10, 10) { x in
            let (value, derivative) = (VectorMath.gelu(x), VectorMath.geluDerivative(x))
            for lane in 0..<8 {
                let v = Double(x[lane])
                let cdf = 0.5 * (1 + erf(v / 2.0.squareRoot()))
                let pdf = exp(-0.5 * v * v) / (2 * Double.pi).squareRoot()
                worst.value = max(worst.value, abs(Double(value[lane]) - v * cdf))
                worst.derivative = max(worst.derivative, abs(Double(derivative[lane]) - (cdf + v * pdf)))
            }
        }
        #expect(worst.value < 1e-6 && worst.derivative < 1e-6, "\(worst)")
    }

    @Test("the softmax kernel gives masked columns 0 and sums each row to 1")
    func softmax() {
        let (rows, width) = (3, 13)
        let scores = FloatBuffer((0..<(rows * width)).map { Float($0 % 7) - 3 })
        let mask = (0..<width).map { $0 % 4 == 3 ? Float(0) : 1 }
        Kernels.maskedSoftmax(scores.base, keyMask: mask, rows: rows, width: width)
        for row in 0..<rows {
            let line = (0..<width).map { scores[row * width + $0] }
            #expect(abs(line.reduce(0, +) - 1) < 1e-6)
            #expect(zip(line, mask).allSatisfy { $1 != 0 || $0 == 0 })
        }
    }
}
