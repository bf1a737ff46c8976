import COpenBLAS
import Synchronization

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
        set {
            singleThreadedSections.withLock { sections in
                if sections.depth == 0 { openblas_set_num_threads(Int32(max(1, newValue))) } else { sections.saved = max(1, newValue) }
            }
        }
    }

    /// How many callers are inside `singleThreaded`, and the thread count to restore when the last leaves.
    private static let singleThreadedSections = Mutex((depth: 0, saved: 1))

    /// Runs `body` with OpenBLAS on one thread, for callers that spread small products over the
    /// cores themselves; concurrent callers (a training job and embeddings) share one such section.
    static func singleThreaded<Result>(_ body: () -> Result) -> Result {
        singleThreadedSections.withLock { sections in
            if sections.depth == 0 {
                sections.saved = Int(openblas_get_num_threads())
                openblas_set_num_threads(1)
            }
            sections.depth += 1
        }
        defer {
            singleThreadedSections.withLock { sections in
                sections.depth -= 1
                if sections.depth == 0 { openblas_set_num_threads(Int32(sections.saved)) }
            }
        }
        return body()
    }

    /// The thread count to use outside single-threaded sections.
    static var configuredThreads: Int {
        singleThreadedSections.withLock { $0.depth == 0 ? Int(openblas_get_num_threads()) : $0.saved }
    }
}

/// Sets how many threads the trainer's matrix products use.
public func setComputeThreads(_ count: Int) {
    BLAS.threads = count
}
