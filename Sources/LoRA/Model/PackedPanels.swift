import CLoRA
import Foundation

/// A frozen `k × n` matrix laid out once in 32-column panels, so that products with it skip the
/// copy OpenBLAS makes of both operands on every call (`lora_packed_gemm`, AVX-512).
struct PackedPanels: Sendable {
    /// The panels: `n / 32` of them, each `k` rows of 32 floats.
    let panels: FloatBuffer
    let k: Int
    let n: Int

    /// Whether products use prepared panels: on CPUs with AVX-512, unless `LORA_TRAIN_PACKED_GEMM=0`
    /// asks for OpenBLAS throughout (to compare the two on one machine).
    static let isEnabled = lora_packed_gemm_available() != 0
        && ProcessInfo.processInfo.environment["LORA_TRAIN_PACKED_GEMM"] != "0"

    /// `B[i][j] = b[i · ldb + j]`, or `b[j · ldb + i]` when `transposed` (a row-major `[n, k]`
    /// weight); nil when panels are not enabled or `n` is not a multiple of 32, and OpenBLAS
    /// serves instead.
    init?(_ b: UnsafePointer<Float>, ldb: Int, transposed: Bool, k: Int, n: Int) {
        guard Self.isEnabled, n > 0, n % 32 == 0, k > 0 else { return nil }
        panels = FloatBuffer(uninitialized: k * n)
        lora_pack_panels(b, ldb, transposed ? 1 : 0, k, n, panels.base)
        (self.k, self.n) = (k, n)
    }

    /// `c = a · B` for the `rows × k` matrix `a`, plus `c` when `accumulate`, else plus `bias` on
    /// every row when given; split by rows over the workers when large enough to pay for it.
    func multiply(
        _ a: UnsafePointer<Float>, rows: Int, lda: Int, bias: UnsafePointer<Float>?, accumulate: Bool,
        into c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        let (k, n, panels) = (k, n, panels)
        // As BLAS.parallelGemm: below about a million multiply-adds a split costs more than it saves.
        let grain = rows * n * k >= 1 << 20 ? 14 : rows
        Workers.forEachRange(rows, grain: grain, alignment: 14) { range in
            lora_packed_gemm(
                range.count, n, k, a + range.lowerBound * lda, lda, panels.base, bias, accumulate ? 1 : 0,
                c + range.lowerBound * ldc, ldc)
        }
    }
}
