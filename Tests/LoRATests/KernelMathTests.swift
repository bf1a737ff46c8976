import CLoRA
import Foundation
import Testing
@testable import LoRA

/// The C kernels (`exp`, `erf`, GELU, softmax, LayerNorm) against the C library's scalar
/// functions and plain formulas, in the copy this CPU runs (AVX-512, AVX2 or baseline), over
/// lengths that are not multiples of the 16 lanes.
@Suite("kernel math")
struct KernelMathTests {
    /// `count` values from `lower` to `upper` (an odd count, so the last run of lanes is partial).
    static func sweep(_ lower: Float, _ upper: Float, count: Int = 80_001) -> [Float] {
        (0..<count).map { lower + (upper - lower) * Float($0) / Float(count) }
    }

    static func apply(_ x: [Float], _ kernel: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void) -> [Float] {
        var y = [Float](repeating: .nan, count: x.count)
        y.withUnsafeMutableBufferPointer { out in kernel(x, out.baseAddress!, x.count) }
        return y
    }

    @Test("the kernels run in the copy for this CPU's instruction set, as /proc/cpuinfo lists it")
    func level() throws {
        let cpuinfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let flagsLine = cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") } ?? ""
        let flags = Set(flagsLine.split(separator: " ").map(String.init))
        let expected = flags.isSuperset(of: ["avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"]) ? "x86-64-v4"
            : flags.isSuperset(of: ["avx2", "fma", "bmi2"]) ? "x86-64-v3" : "baseline"
        #expect(kernelInstructionSet() == expected)
    }

    @Test("exp is within 4e-7 of exp, relative, from -87 to 88")
    func expMatchesLibm() {
        let x = Self.sweep(-87, 88)
        let fast = Self.apply(x) { lora_exp($0, $1, $2) }
        let worst = zip(x, fast).map { abs(Double($1) - exp(Double($0))) / exp(Double($0)) }.max()!
        #expect(worst < 4e-7, "\(worst)")
        let edges = Self.apply([-200, 0]) { lora_exp($0, $1, $2) }
        #expect(edges[0] < 1e-37 && edges[1] == 1)
    }

    @Test("erf is within 1e-6 of erf, absolute, and odd")
    func erfMatchesLibm() {
        let x = Self.sweep(-6, 6)
        let fast = Self.apply(x) { lora_erf($0, $1, $2) }
        let worst = zip(x, fast).map { abs(Double($1) - erf(Double($0))) }.max()!
        #expect(worst < 1e-6, "\(worst)")
        let points: [Float] = [-3, -1, -0.5, 0.5, 1, 3, 10]
        #expect(Self.apply(points) { lora_erf($0, $1, $2) } == Self.apply(points.map { -$0 }) { lora_erf($0, $1, $2) }.map { -$0 })
    }

    @Test("GELU and its derivative are within 1e-6 of the scalar formulas")
    func geluMatchesFormula() {
        let x = Self.sweep(-10, 10)
        let value = Self.apply(x) { lora_gelu($0, $1, $2) }
        var derivative = [Float](repeating: 1, count: x.count)  // dy = 1: the backward pass gives the derivative
        derivative.withUnsafeMutableBufferPointer { lora_gelu_backward(x, $0.baseAddress!, x.count) }
        var worst: (value: Double, derivative: Double) = (0, 0)
        for index in x.indices {
            let v = Double(x[index])
            let cdf = 0.5 * (1 + erf(v / 2.0.squareRoot()))
            let pdf = exp(-0.5 * v * v) / (2 * Double.pi).squareRoot()
            worst.value = max(worst.value, abs(Double(value[index]) - v * cdf))
            worst.derivative = max(worst.derivative, abs(Double(derivative[index]) - (cdf + v * pdf)))
        }
        #expect(worst.value < 1e-6 && worst.derivative < 1e-6, "\(worst)")
    }

    @Test("Kernels.gelu split over two workers writes every value once")
    func geluSplit() {
        let x = Self.sweep(-4, 4, count: 100_003)
        let whole = Self.apply(x) { lora_gelu($0, $1, $2) }
        let split = withComputeThreads(2) {
            Self.apply(x) { Kernels.gelu($0, into: $1, count: $2) }
        }
        #expect(split == whole)
    }

    @Test("the softmax kernel gives masked columns 0, sums each row to 1, and matches the formula")
    func softmax() {
        let (rows, width) = (4, 37)
        let values = (0..<(rows * width)).map { Float($0 % 7) - 3 + Float($0) * 0.01 }
        let scores = FloatBuffer(values)
        var mask = (0..<width).map { $0 % 4 == 3 ? Float(0) : 1 }
        Kernels.maskedSoftmax(scores.base, keyMask: mask, rows: rows, width: width)
        for row in 0..<rows {
            let line = (0..<width).map { scores[row * width + $0] }
            let kept = (0..<width).filter { mask[$0] != 0 }
            let maximum = kept.map { Double(values[row * width + $0]) }.max()!
            let total = kept.map { exp(Double(values[row * width + $0]) - maximum) }.reduce(0, +)
            #expect(abs(line.reduce(0, +) - 1) < 1e-6)
            #expect(zip(line, mask).allSatisfy { $1 != 0 || $0 == 0 })
            for column in kept {
                let exact = exp(Double(values[row * width + column]) - maximum) / total
                #expect(abs(Double(line[column]) - exact) < 1e-6)
            }
        }
        mask = [Float](repeating: 0, count: width)
        let masked = FloatBuffer(values)
        Kernels.maskedSoftmax(masked.base, keyMask: mask, rows: rows, width: width)
        #expect(masked.array.allSatisfy { $0 == 0 }, "a row with every column masked is all 0")
    }

    @Test("LayerNorm matches the formula, with x̂ and 1/σ kept, for widths that are not multiples of 16")
    func layerNorm() {
        for width in [5, 16, 37, 384] {
            let rows = 3
            let values = (0..<(rows * width)).map { sin(Float($0) * 0.37) * 3 + Float($0 % 5) }
            let gamma = (0..<width).map { 1 + Float($0) * 0.01 }
            let beta = (0..<width).map { Float($0) * -0.02 }
            let x = FloatBuffer(values)
            let normalized = FloatBuffer(uninitialized: rows * width)
            let inverse = FloatBuffer(uninitialized: rows)
            Kernels.layerNorm(
                x.base, normalized: normalized.base, inverseDeviation: inverse.base, gamma: gamma, beta: beta,
                rows: rows, width: width, epsilon: 1e-12)
            for row in 0..<rows {
                let line = values[(row * width)..<((row + 1) * width)].map(Double.init)
                let mean = line.reduce(0, +) / Double(width)
                let variance = line.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(width)
                let inverseDeviation = 1 / (variance + 1e-12).squareRoot()
                #expect(abs(Double(inverse[row]) - inverseDeviation) < 1e-5 * inverseDeviation, "width \(width)")
                for column in 0..<width {
                    let hat = (line[column] - mean) * inverseDeviation
                    #expect(abs(Double(normalized[row * width + column]) - hat) < 1e-5, "width \(width)")
                    let y = hat * Double(gamma[column]) + Double(beta[column])
                    #expect(abs(Double(x[row * width + column]) - y) < 1e-5, "width \(width)")
                }
            }
        }
    }
}
