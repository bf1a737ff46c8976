import Foundation
import LoRA

/// Sentence embeddings for the API: the loaded encoder, its tokenizer, and adapters of finished
/// jobs loaded on first use. Work runs on the service's own embedding threads, never on the server's.
public final class EmbeddingService: Sendable {
    /// The base model's directory.
    public let modelDirectory: String
    let encoder: Encoder
    let tokenizer: WordPieceTokenizer
    let maxLength: Int
    /// The embedding workers, and the threads a pass alone on an idle service is split over.
    let threads: Int
    private let adapters = AdapterCache()
    /// The requests waiting for a worker.
    let queue: EmbedQueue

    /// Loads the model in `modelDirectory` and starts `threads` embedding workers.
    public init(modelDirectory: String, maxLength: Int = 128, threads: Int = 1) throws(LoRAError) {
        self.modelDirectory = modelDirectory
        self.threads = max(1, threads)
        encoder = try Encoder(directory: modelDirectory)
        do { tokenizer = try WordPieceTokenizer(vocabPath: modelDirectory + "/vocab.txt") } catch { throw .tokenizer(error) }
        self.maxLength = min(maxLength, encoder.config.maxPositions)
        queue = EmbedQueue(workers: self.threads)
        for _ in 0..<self.threads {
            // The worker holds the queue and a copy of the encoder, never the service, so that
            // releasing the service stops it.
            let thread = Thread { [queue, encoder] in
                nameCurrentThread("lora-embed")
                queue.workerStarted(threadID: currentThreadID())
                Self.work(queue, encoder: encoder)
            }
            thread.start()
        }
    }

    deinit {
        queue.shutdown()
    }

    /// The width of every embedding.
    public var dimensions: Int { encoder.config.hiddenSize }

    /// The normalised embeddings of `texts`, through the adapter in `adapterDirectory` when given.
    ///
    /// Requests wait in arrival order; each free worker takes the next few on the same adapter
    /// (about `passTexts` texts) as one pass, so under load passes run side by side, one per thread.
    public func embed(_ texts: [String], adapterDirectory: String?) async throws(LoRAError) -> [[Float]] {
        let adapter = try adapterDirectory.map { (path) throws(LoRAError) in try adapters.adapter(at: path, for: encoder.config) }
        guard !texts.isEmpty else { return [] }
        // Tokenized here, on the request's own task, so the embedding workers only compute.
        let encodings = texts.map { tokenizer.encode($0, maxLength: maxLength) }
        return await withCheckedContinuation { continuation in
            queue.append(PendingEmbedding(
                encodings: encodings, adapterDirectory: adapterDirectory, adapter: adapter, reply: continuation))
        }
    }

    /// One worker's life: takes a pass, embeds it, answers its requests, until the service is released.
    private static func work(_ queue: EmbedQueue, encoder: Encoder) {
        var hasFinished = false
        while let (pass, threads) = queue.nextPass(afterFinishing: hasFinished) {
            let encodings = pass.flatMap(\.encodings)
            let vectors = withComputeThreads(threads) {
                encoder.embed(encodings, batchSize: Self.textsPerForwardPass, adapter: pass[0].adapter)
            }
            var start = 0
            for request in pass {
                request.reply.resume(returning: Array(vectors[start..<(start + request.encodings.count)]))
                start += request.encodings.count
            }
            hasFinished = true
        }
    }

    /// The texts a worker gathers into one pass before it starts: whole requests until at least this many.
    static let passTexts = 32
    /// The most texts in one forward pass of the encoder.
    static let textsPerForwardPass = 64
}

/// The requests waiting to be embedded, in arrival order, and how many workers are embedding.
/// Workers sleep on its condition while nothing waits.
final class EmbedQueue: @unchecked Sendable {
    // Every stored variable is read and written with `condition` locked.
    private let condition = NSCondition()
    private var waiting: [PendingEmbedding] = []
    private var busyWorkers = 0
    private var liveWorkers: Int
    private var isStopping = false
    private let workers: Int
    private var threadIDs: Set<Int> = []

    init(workers: Int) {
        self.workers = workers
        liveWorkers = workers
    }

    /// How many workers have not ended yet.
    var runningWorkers: Int {
        condition.lock()
        defer { condition.unlock() }
        return liveWorkers
    }

    /// The kernel ids of the workers' threads, as each has started (named `lora-embed`).
    var workerThreadIDs: Set<Int> {
        condition.lock()
        defer { condition.unlock() }
        return threadIDs
    }

    /// Records a worker's thread, once it has named itself.
    func workerStarted(threadID: Int) {
        condition.lock()
        threadIDs.insert(threadID)
        condition.unlock()
    }

    /// Queues `request` and wakes one sleeping worker, if any.
    func append(_ request: PendingEmbedding) {
        condition.lock()
        waiting.append(request)
        condition.signal()
        condition.unlock()
    }

    /// The next pass and the threads to embed it on, as `EmbedPassPlan` decides; waits while
    /// nothing waits, and is nil once the queue is shut down and empty: the calling worker then
    /// ends. `afterFinishing` says it has just finished a pass.
    func nextPass(afterFinishing: Bool) -> (requests: [PendingEmbedding], threads: Int)? {
        condition.lock()
        defer { condition.unlock() }
        if afterFinishing { busyWorkers -= 1 }
        while waiting.isEmpty {
            if isStopping {
                liveWorkers -= 1
                return nil
            }
            condition.wait()
        }
        let plan = EmbedPassPlan(
            waiting: waiting.lazy.map { EmbedPassPlan.Request(texts: $0.encodings.count, adapter: $0.adapterDirectory) },
            busyWorkers: busyWorkers, workers: workers, passTexts: EmbeddingService.passTexts)
        let pass = Array(waiting.prefix(plan.requests))
        waiting.removeFirst(plan.requests)
        busyWorkers += 1
        return (pass, plan.threads)
    }

    /// Lets every worker finish what waits, then end.
    func shutdown() {
        condition.lock()
        isStopping = true
        condition.broadcast()
        condition.unlock()
    }
}

/// One request waiting to be embedded.
struct PendingEmbedding: Sendable {
    let encodings: [WordPieceTokenizer.Encoding]
    let adapterDirectory: String?
    let adapter: LoRAAdapter?
    let reply: CheckedContinuation<[[Float]], Never>
}

/// Adapters read from disk once, by directory.
final class AdapterCache: Sendable {
    private let loaded = LockedValue<[String: LoRAAdapter]>([:])

    func adapter(at path: String, for config: EncoderConfig) throws(LoRAError) -> LoRAAdapter {
        if let adapter = loaded.withLock({ $0[path] }) { return adapter }
        let adapter = try LoRAAdapter(PEFTAdapter(contentsOf: path), for: config, path: path)
        loaded.withLock { $0[path] = adapter }
        return adapter
    }
}
