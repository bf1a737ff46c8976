import CLoRA

/// A frozen `k × n` matrix laid out once as 32-column panels, for products by it on `PanelGemm`.
struct PackedPanels: Sendable {
    /// The panels: `n / 32` of them, each `k` rows of 32 floats.
    let panels: FloatBuffer
    let k: Int
    let n: Int

    /// `B[i][j] = b[i · ldb + j]`, or `b[j · ldb + i]` when `transposed` (`Wᵀ` for a row-major
    /// `[n, k]` weight); nil when panels are not enabled or `n` is not a multiple of 32, and
    /// OpenBLAS serves instead.
    init?(_ b: UnsafePointer<Float>, ldb: Int, transposed: Bool, k: Int, n: Int) {
        guard PanelGemm.isEnabled, n > 0, n % 32 == 0, k > 0 else { return nil }
        panels = FloatBuffer(uninitialized: k * n)
        lora_pack_panels(b, ldb, transposed ? 1 : 0, k, n, panels.base)
        (self.k, self.n) = (k, n)
    }

    /// `c = a · B` for the `rows × k` matrix `a`, plus `c` when `accumulate`, else plus `bias` on
    /// every row when given.
    func multiply(
        _ a: UnsafePointer<Float>, rows: Int, lda: Int, bias: UnsafePointer<Float>?, accumulate: Bool,
        into c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        PanelGemm.multiply(
            a, rows: rows, lda: lda, panels.base, k: k, n: n, ldb: 32, panelStride: 32 * k, bias: bias,
            accumulate: accumulate, into: c, ldc: ldc)
    }
}
