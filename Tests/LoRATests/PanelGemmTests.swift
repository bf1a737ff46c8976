import Testing
@testable import LoRA

/// The frozen layers' product on panels (`lora_panel_gemm`, AVX-512) against a plain product in
/// Double: shapes with partial tiles of rows, depths across the kernel's 384-step blocks, row
/// strides wider than the rows, `B` laid out from a matrix stored either way or read in place as
/// stored, and each way of starting a tile (bias, zero, `c`).
@Suite("panel products", .enabled(if: PanelGemm.isEnabled, "this CPU has no AVX-512, or LORA_TRAIN_PACKED_GEMM=0"))
struct PanelGemmTests {
    /// Values in [-1, 1) from a seeded generator.
    static func values(_ count: Int, seed: UInt64) -> [Float] {
        var random = RandomGenerator(seed: seed)
        return (0..<count).map { _ in Float(Double(random.next() >> 11) / Double(1 << 53) * 2 - 1) }
    }

    /// `(rows, k, n)`: 1 to 45 rows (tiles are 14), depths up to 1000 (blocks of 384), 1 to 3 panels.
    static let shapes = [(1, 7, 32), (13, 384, 64), (14, 385, 96), (29, 800, 32), (45, 1000, 64)]

    enum Start: CaseIterable { case bias, zero, accumulate }

    /// How the test hands `B` to the kernel.
    enum Layout: CaseIterable {
        /// Laid out from a row-major `[n, k]` weight `W`, `B = Wᵀ` (the forward product).
        case packedTransposed
        /// Laid out from `B` stored row-major (the input gradient's product).
        case packed
        /// Read in place from `B` stored row-major.
        case inPlace
    }

    @Test("a · B equals the plain product", arguments: Layout.allCases, Start.allCases)
    func product(layout: Layout, start: Start) throws {
        for (rows, k, n) in Self.shapes {
            let (lda, ldc) = (k + 3, n + 5)
            let a = Self.values(rows * lda, seed: 1)
            let transposed = layout == .packedTransposed
            let ldb = transposed ? k + 2 : n + 2
            let b = Self.values((transposed ? n : k) * ldb, seed: 2)
            let bias = Self.values(n, seed: 3)
            let initial = Self.values(rows * ldc, seed: 4)
            var c = initial
            let startBias = start == .bias ? bias : nil
            if layout != .inPlace {
                let panels = try #require(PackedPanels(b, ldb: ldb, transposed: transposed, k: k, n: n))
                c.withUnsafeMutableBufferPointer { out in
                    panels.multiply(
                        a, rows: rows, lda: lda, bias: startBias, accumulate: start == .accumulate, into: out.baseAddress!,
                        ldc: ldc)
                }
            } else {
                c.withUnsafeMutableBufferPointer { out in
                    PanelGemm.multiply(
                        a, rows: rows, lda: lda, b, k: k, n: n, ldb: ldb, panelStride: 32, bias: startBias,
                        accumulate: start == .accumulate, into: out.baseAddress!, ldc: ldc)
                }
            }
            var worst = 0.0
            for i in 0..<rows {
                for j in 0..<n {
                    var sum = start == .bias ? Double(bias[j]) : start == .accumulate ? Double(initial[i * ldc + j]) : 0
                    for p in 0..<k { sum += Double(a[i * lda + p]) * Double(transposed ? b[j * ldb + p] : b[p * ldb + j]) }
                    worst = max(worst, abs(sum - Double(c[i * ldc + j])))
                }
                for j in n..<ldc { #expect(c[i * ldc + j] == initial[i * ldc + j], "wrote past column \(n)") }
            }
            #expect(worst < 2e-5 * Double(k).squareRoot(), "\(rows)×\(k)×\(n): off by \(worst)")
        }
    }

    @Test("a prepared layer computes what the stored one does on OpenBLAS, forward and backward")
    func preparedLayer() throws {
        let (rows, input, output) = (20, 96, 64)
        let layer = LinearWeights(
            weight: FloatBuffer(Self.values(output * input, seed: 5)), bias: FloatBuffer(Self.values(output, seed: 6)),
            inputSize: input, outputSize: output)
        let prepared = layer.prepared()
        #expect(prepared.forwardPanels != nil && prepared.backwardPanels != nil && prepared.weight == nil)
        #expect(layer.forwardPanels == nil && layer.backwardPanels == nil)
        let x = FloatBuffer(Self.values(rows * input, seed: 7))
        let dy = FloatBuffer(Self.values(rows * output, seed: 8))
        let close = { (a: [Float], b: [Float]) in zip(a, b).allSatisfy { abs($0 - $1) < 1e-5 } }
        #expect(close(prepared.forward(x, rows: rows).array, layer.forward(x, rows: rows).array))
        #expect(close(prepared.inputGradient(dy, rows: rows).array, layer.inputGradient(dy, rows: rows).array))
        let (sumA, sumB) = (FloatBuffer(Self.values(rows * input, seed: 9)), FloatBuffer(Self.values(rows * input, seed: 9)))
        prepared.inputGradient(dy, rows: rows, addingTo: sumA)
        layer.inputGradient(dy, rows: rows, addingTo: sumB)
        #expect(close(sumA.array, sumB.array))
    }

    @Test("a product whose output width is not whole panels stays on OpenBLAS, with the weight as stored")
    func partialPanels() {
        func layer(inputs: Int, outputs: Int) -> LinearWeights {
            LinearWeights(
                weight: FloatBuffer(Self.values(outputs * inputs, seed: 10)), bias: FloatBuffer(Self.values(outputs, seed: 11)),
                inputSize: inputs, outputSize: outputs
            ).prepared()
        }
        let narrowOutput = layer(inputs: 64, outputs: 40)
        #expect(narrowOutput.forwardPanels == nil && narrowOutput.backwardPanels != nil)
        let narrowInput = layer(inputs: 40, outputs: 64)
        #expect(narrowInput.forwardPanels != nil && narrowInput.backwardPanels == nil)
        #expect(narrowOutput.weight != nil && narrowInput.weight != nil, "OpenBLAS still reads the stored weight")
    }
}
