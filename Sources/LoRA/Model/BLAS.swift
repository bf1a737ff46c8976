import COpenBLAS

/// Row-major single-precision matrix products on OpenBLAS, which always runs on one thread:
/// `parallelGemm` splits a large product over `Workers` instead.
enum BLAS {
    /// `c = alpha * op(a) * op(b) + beta * c` on the calling thread, where op transposes when
    /// asked; `c` is `m × n`, `op(a)` is `m × k`, `op(b)` is `k × n`, and each `ld` is the row
    /// stride of the stored matrix.
    static func gemm(
        transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
        _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, _ c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// The fewest multiply-adds worth splitting a product over the workers for: below about a
    /// million, a split costs more than it saves.
    static let minimumSplitWork = 1 << 20

    /// The same product split over the workers: by rows of `c` when it has more rows than
    /// columns, by columns otherwise, in blocks of whole cache lines.
    static func parallelGemm(
        transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
        _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, _ c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard m * n * k >= minimumSplitWork else {
            return gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                        a, lda: lda, b, ldb: ldb, beta: beta, c, ldc: ldc)
        }
        if m >= n {
            Workers.forEachRange(m, grain: 16, alignment: 16) { rows in
                // Rows i… of op(a): rows of a, or columns of a stored transposed.
                gemm(transposeA: transposeA, transposeB: transposeB, m: rows.count, n: n, k: k, alpha: alpha,
                     a + (transposeA ? rows.lowerBound : rows.lowerBound * lda), lda: lda, b, ldb: ldb,
                     beta: beta, c + rows.lowerBound * ldc, ldc: ldc)
            }
        } else {
            Workers.forEachRange(n, grain: 16, alignment: 16) { columns in
                // Columns j… of op(b): columns of b, or rows of b stored transposed.
                gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: columns.count, k: k, alpha: alpha,
                     a, lda: lda, b + (transposeB ? columns.lowerBound * ldb : columns.lowerBound), ldb: ldb,
                     beta: beta, c + columns.lowerBound, ldc: ldc)
            }
        }
    }

    /// Runs `body` with OpenBLAS on `threads` threads, then puts it back on one: for measuring
    /// the library's own multi-threaded rate.
    static func withLibraryThreads<Result>(_ threads: Int, _ body: () -> Result) -> Result {
        openblas_set_num_threads(Int32(max(1, threads)))
        defer { openblas_set_num_threads(1) }
        return body()
    }
}

/// Sets how many threads the trainer's computations use by default (OpenBLAS itself stays on one).
public func setComputeThreads(_ count: Int) {
    openblas_set_num_threads(1)
    Workers.count = count
}

/// Runs `body` with the computations it starts on this thread split over `threads` threads,
/// whatever `setComputeThreads` chose for the rest of the process.
public func withComputeThreads<Result, Failure: Error>(
    _ threads: Int, _ body: () throws(Failure) -> Result
) throws(Failure) -> Result {
    openblas_set_num_threads(1)
    return try Workers.withCount(threads, body)
}
