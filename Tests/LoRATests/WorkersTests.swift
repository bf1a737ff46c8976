import COpenBLAS
import Foundation
import Synchronization
import Testing
@testable import LoRA

/// The trainer's own thread pool: every piece of work is done exactly once, nested splits run
/// inline, OpenBLAS stays on one thread, and a product split over the workers equals the whole.
@Suite("compute workers", .serialized)
struct WorkersTests {
    @Test("ranges cover every index exactly once, aligned, for any total, grain and thread count",
          arguments: [1, 2, 3])
    func ranges(threads: Int) {
        setComputeThreads(threads)
        defer { setComputeThreads(2) }
        for (total, grain, alignment) in [(0, 1, 1), (1, 1, 1), (7, 1, 1), (100, 16, 8), (1000, 32, 16), (4097, 1, 8)] {
            let seen = Mutex([Int](repeating: 0, count: total))
            let starts = Mutex([Int]())
            Workers.forEachRange(total, grain: grain, alignment: alignment) { range in
                starts.withLock { $0.append(range.lowerBound) }
                seen.withLock { counts in for index in range { counts[index] += 1 } }
            }
            #expect(seen.withLock { $0 }.allSatisfy { $0 == 1 }, "total \(total)")
            #expect(starts.withLock { $0 }.allSatisfy { $0 % alignment == 0 }, "total \(total)")
            #expect(starts.withLock { $0.count } <= threads)
        }
    }

    @Test("withComputeThreads sets the count for its own thread only, nests, and restores it")
    func callerCount() {
        setComputeThreads(1)
        defer { setComputeThreads(2) }
        let seen = Mutex([Int]())
        withComputeThreads(3) {
            seen.withLock { $0.append(Workers.count) }
            withComputeThreads(2) { seen.withLock { $0.append(Workers.count) } }
            seen.withLock { $0.append(Workers.count) }
            let other = Thread { seen.withLock { $0.append(Workers.count) } }
            other.start()
            while !other.isFinished { usleep(1000) }
            let pieces = Mutex(0)
            Workers.forEachRange(300) { _ in pieces.withLock { $0 += 1 } }
            seen.withLock { $0.append(pieces.withLock { $0 }) }
        }
        seen.withLock { $0.append(Workers.count) }
        #expect(seen.withLock { $0 } == [3, 2, 3, 1, 3, 1], "inside, nested, restored, another thread, pieces, after")
    }

    @Test("a split inside a piece runs inline on that piece's thread, and OpenBLAS stays on one thread")
    func nested() {
        setComputeThreads(2)
        #expect(openblas_get_num_threads() == 1)
        let inner = Mutex(0)
        Workers.run(2) { _ in
            #expect(Workers.isInside)
            let thread = pthread_self()
            Workers.forEachRange(1000, grain: 1) { range in
                #expect(pthread_equal(pthread_self(), thread) != 0)
                inner.withLock { $0 += range.count }
            }
        }
        #expect(!Workers.isInside)
        #expect(inner.withLock { $0 } == 2000)
    }

    @Test("a product split over the workers equals the whole, for every transposition and both directions")
    func parallelProduct() {
        setComputeThreads(2)
        for (m, n, k) in [(300, 40, 64), (24, 520, 48), (1024, 8, 384), (8, 384, 1024)] {
            for (transposeA, transposeB) in [(false, false), (true, false), (false, true), (true, true)] {
                for beta: Float in [0, 1] {
                    let a = (0..<(m * k)).map { Float(($0 * 7919) % 101) / 101 - 0.5 }
                    let b = (0..<(k * n)).map { Float(($0 * 104_729) % 97) / 97 - 0.5 }
                    let start = (0..<(m * n)).map { Float($0 % 5) }
                    let (lda, ldb) = (transposeA ? m : k, transposeB ? k : n)
                    var whole = start
                    var split = start
                    BLAS.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 0.5,
                              a, lda: lda, b, ldb: ldb, beta: beta, &whole, ldc: n)
                    BLAS.parallelGemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 0.5,
                                      a, lda: lda, b, ldb: ldb, beta: beta, &split, ldc: n)
                    let difference = zip(whole, split).map { abs($0 - $1) }.max() ?? 0
                    #expect(difference < 1e-4, "\(m)x\(n)x\(k) transposed \(transposeA),\(transposeB) beta \(beta): \(difference)")
                }
            }
        }
    }
}
