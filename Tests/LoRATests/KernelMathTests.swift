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

    @Test("the softmax kernel sums each row to 1 and matches the formula, for widths that are not multiples of 16")
    func softmax() {
        for width in [1, 5, 16, 37] {
            let rows = 4
            let values: [Float] = (0..<(rows * width)).map { index in
                let step = Float(index % 7) * 9
                return step - 30 + Float(index) * 0.01
            }
            let scores = FloatBuffer(values)
            Kernels.softmax(scores.base, rows: rows, width: width)
            for row in 0..<rows {
                let line = (0..<width).map { Double(values[row * width + $0]) }
                let maximum = line.max()!
                let total = line.map { exp($0 - maximum) }.reduce(0, +)
                let result = (0..<width).map { scores[row * width + $0] }
                #expect(abs(result.reduce(0, +) - 1) < 1e-6)
                for column in 0..<width {
                    #expect(abs(Double(result[column]) - exp(line[column] - maximum) / total) < 1e-6)
                }
            }
        }
    }

    @Test("the softmax backward kernel matches p ⊙ (dp − p·dp) per row")
    func softmaxBackward() {
        for width in [3, 16, 37] {
            let rows = 3
            let raw = (0..<(rows * width)).map { sin(Float($0) * 0.7) * 4 }
            let p = FloatBuffer(raw)
            Kernels.softmax(p.base, rows: rows, width: width)
            let upstream = (0..<(rows * width)).map { cos(Float($0) * 0.3) }
            let gradient = FloatBuffer(upstream)
            Kernels.softmaxBackward(p.base, gradient.base, rows: rows, width: width)
            for row in 0..<rows {
                let range = (row * width)..<((row + 1) * width)
                let dot = range.map { Double(p[$0]) * Double(upstream[$0]) }.reduce(0, +)
                for index in range {
                    let exact = Double(p[index]) * (Double(upstream[index]) - dot)
                    #expect(abs(Double(gradient[index]) - exact) < 1e-6)
                }
            }
        }
    }

    @Test("LayerNorm (with and without a residual added first) matches the formula, with x̂ and 1/σ kept, for widths that are not multiples of 16",
          arguments: [false, true])
    func layerNorm(residual: Bool) {
        for width in [5, 16, 37, 384] {
            let rows = 3
            let values = (0..<(rows * width)).map { sin(Float($0) * 0.37) * 3 + Float($0 % 5) }
            let gamma = (0..<width).map { 1 + Float($0) * 0.01 }
            let beta = (0..<width).map { Float($0) * -0.02 }
            // With a residual, x + residual is the same values.
            let added = (0..<(rows * width)).map { Float($0 % 3) - 1 }
            let x = FloatBuffer(residual ? zip(values, added).map { $0 - $1 } : values)
            let normalized = FloatBuffer(uninitialized: rows * width)
            let inverse = FloatBuffer(uninitialized: rows)
            added.withUnsafeBufferPointer { added in
                Kernels.layerNorm(
                    x.base, adding: residual ? added.baseAddress : nil, normalized: normalized.base,
                    inverseDeviation: inverse.base, gamma: gamma, beta: beta, rows: rows, width: width, epsilon: 1e-12)
            }
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

    @Test("LayerNorm's backward kernel matches the formula for widths that are not multiples of 16")
    func layerNormBackward() {
        for width in [5, 16, 37, 384] {
            let rows = 3
            let hat = (0..<(rows * width)).map { sin(Float($0) * 0.61) }
            let dy = (0..<(rows * width)).map { cos(Float($0) * 0.23) }
            let gamma = (0..<width).map { 1 + Float($0 % 9) * 0.05 }
            let inverse: [Float] = [0.5, 2, 1.25]
            let dx = FloatBuffer(uninitialized: rows * width)
            Kernels.layerNormBackward(
                dy, normalized: hat, inverseDeviation: inverse, gamma: gamma, into: dx.base, rows: rows, width: width)
            for row in 0..<rows {
                let range = (row * width)..<((row + 1) * width)
                let g = range.map { Double(dy[$0]) * Double(gamma[$0 - row * width]) }
                let meanG = g.reduce(0, +) / Double(width)
                let meanGH = zip(g, range).map { $0 * Double(hat[$1]) }.reduce(0, +) / Double(width)
                for (column, index) in range.enumerated() {
                    let exact = Double(inverse[row]) * (g[column] - meanG - Double(hat[index]) * meanGH)
                    #expect(abs(Double(dx[index]) - exact) < 1e-5, "width \(width)")
                }
            }
        }
    }
}
