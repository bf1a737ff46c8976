import Dispatch
import Foundation
import Synchronization

/// The trainer's one pool of compute threads. Work is split into one piece per thread and run
/// with `concurrentPerform`, while OpenBLAS itself stays on one thread: two pools (OpenBLAS's
/// spinning threads and ours) never compete for the same cores, and the small products that run
/// badly on two BLAS threads never get them.
enum Workers {
    private static let configured = Mutex(1)
    /// Marks threads that are running a piece already, so that nested calls run inline.
    private static let insideKey = makeKey()
    /// The thread count a caller chose for its own thread (`withCount`), stored as a pointer's bits.
    private static let callerKey = makeKey()

    private static func makeKey() -> pthread_key_t {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }

    /// How many threads split the work started on this thread: the count `withCount` set for
    /// it, else the process-wide default.
    static var count: Int {
        get {
            if let chosen = pthread_getspecific(callerKey) { return Int(bitPattern: chosen) }
            return configured.withLock { $0 }
        }
        set { configured.withLock { $0 = max(1, newValue) } }
    }

    /// Runs `body` with work started on this thread split over `threads` threads, whatever the
    /// process-wide default; a training job and the embeddings each keep their own count.
    static func withCount<Result, Failure: Error>(
        _ threads: Int, _ body: () throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let previous = pthread_getspecific(callerKey)
        pthread_setspecific(callerKey, UnsafeRawPointer(bitPattern: max(1, threads)))
        defer { pthread_setspecific(callerKey, previous) }
        return try body()
    }

    /// Whether the calling thread is running a piece of a split already.
    static var isInside: Bool { pthread_getspecific(insideKey) != nil }

    /// Runs `body(piece)` for each piece in `0..<pieces`, spread over the threads; inline when
    /// there is one thread, one piece, or the caller is a piece itself.
    static func run(_ pieces: Int, _ body: (Int) -> Void) {
        guard pieces > 1, count > 1, !isInside else {
            for piece in 0..<pieces { body(piece) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let work = UnsafeSendable(body)
            DispatchQueue.concurrentPerform(iterations: pieces) { piece in
                pthread_setspecific(insideKey, UnsafeRawPointer(bitPattern: 1))
                work.value(piece)
                pthread_setspecific(insideKey, nil)
            }
        }
    }

    /// `body(piece)` for each piece in `0..<pieces`, spread over the threads as `run` does; the
    /// results in piece order.
    static func map<Result>(_ pieces: Int, _ body: (Int) -> Result) -> [Result] {
        let results = UnsafeMutablePointer<Result>.allocate(capacity: max(pieces, 1))
        defer { results.deallocate() }
        run(pieces) { piece in (results + piece).initialize(to: body(piece)) }
        return (0..<pieces).map { (results + $0).move() }
    }

    /// Splits `0..<total` into one contiguous range per thread (each at least `grain` long,
    /// aligned to `alignment`) and runs `body` on each.
    static func forEachRange(_ total: Int, grain: Int = 1, alignment: Int = 1, _ body: (Range<Int>) -> Void) {
        let threads = isInside ? 1 : count
        let pieces = max(1, min(threads, total / max(grain, 1)))
        guard pieces > 1 else {
            if total > 0 { body(0..<total) }
            return
        }
        let step = (total + pieces - 1) / pieces
        let aligned = (step + alignment - 1) / alignment * alignment
        run(pieces) { piece in
            let start = min(total, piece * aligned)
            let end = piece == pieces - 1 ? total : min(total, start + aligned)
            if start < end { body(start..<end) }
        }
    }
}

/// A value handed to `concurrentPerform`'s workers, each of which touches disjoint memory.
struct UnsafeSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
