import CLoRA
import Foundation

/// Products by a frozen weight read in 32-column panels (`lora_panel_gemm`, AVX-512): unlike
/// OpenBLAS, they copy neither operand on each call and start from the bias instead of making a
/// pass over the output first.
enum PanelGemm {
    /// Whether frozen products use panels: on CPUs with AVX-512, unless `LORA_TRAIN_PACKED_GEMM=0`
    /// asks for OpenBLAS throughout (to compare the two on one machine).
    static let isEnabled = lora_panel_gemm_available() != 0
        && ProcessInfo.processInfo.environment["LORA_TRAIN_PACKED_GEMM"] != "0"

    /// `c = a · B` for the `rows × k` matrix `a` and the `k × n` matrix `B` whose panel `p`, row `i`
    /// is the 32 floats at `b + p · panelStride + i · ldb`; plus `c` when `accumulate`, else plus
    /// `bias` on every row when given. Split by rows over the workers when large enough to pay.
    static func multiply(
        _ a: UnsafePointer<Float>, rows: Int, lda: Int, _ b: UnsafePointer<Float>, k: Int, n: Int, ldb: Int,
        panelStride: Int, bias: UnsafePointer<Float>?, accumulate: Bool, into c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        precondition(n % 32 == 0, "panels are 32 columns wide")
        let grain = rows * n * k >= BLAS.minimumSplitWork ? 14 : rows
        Workers.forEachRange(rows, grain: grain, alignment: 14) { range in
            lora_panel_gemm(
                range.count, n, k, a + range.lowerBound * lda, lda, b, ldb, panelStride, bias, accumulate ? 1 : 0,
                c + range.lowerBound * ldc, ldc)
        }
    }
}
