import COpenBLAS

/// Row-major single-precision matrix products on OpenBLAS.
enum BLAS {
    /// `c = alpha * op(a) * op(b) + beta * c`, where op transposes when asked; `c` is `m × n`,
    /// `op(a)` is `m × k`, `op(b)` is `k × n`, and each `ld` is the row stride of the stored matrix.
    static func gemm(
        transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
        _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, _ c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// The number of threads OpenBLAS uses for one product.
    static var threads: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(max(1, newValue))) }
    }
}

/// Sets how many threads the trainer's matrix products use.
public func setComputeThreads(_ count: Int) {
    BLAS.threads = count
}
