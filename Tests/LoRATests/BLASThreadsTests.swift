import Foundation
import Testing
@testable import LoRA

/// The attention's single-threaded sections share OpenBLAS's global thread count with other
/// callers in the same process (the training service runs jobs and embeddings side by side).
@Suite("OpenBLAS thread sections", .serialized)
struct BLASThreadsTests {
    @Test("overlapping single-threaded sections on many threads restore the configured thread count")
    func overlappingSections() {
        setComputeThreads(2)
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            for _ in 0..<50 {
                BLAS.singleThreaded {
                    #expect(BLAS.threads == 1)
                    if index % 3 == 0 { usleep(100) }
                }
            }
        }
        #expect(BLAS.threads == 2)
    }

    @Test("a thread count set during a section takes effect when the last section ends")
    func setDuringSection() {
        setComputeThreads(2)
        BLAS.singleThreaded {
            setComputeThreads(1)
            #expect(BLAS.configuredThreads == 1)
        }
        #expect(BLAS.threads == 1)
        setComputeThreads(2)
        #expect(BLAS.threads == 2)
    }
}
