import Dispatch
import Foundation
import LoRA

/// Sentence embeddings for the API: the loaded encoder, its tokenizer, and adapters of finished
/// jobs loaded on first use. Work runs on one dedicated queue so it never blocks the server's threads.
public final class EmbeddingService: Sendable {
    /// The base model's directory.
    public let modelDirectory: String
    let encoder: Encoder
    let tokenizer: WordPieceTokenizer
    let maxLength: Int
    /// Threads one batch is split over.
    let threads: Int
    private let queue = DispatchQueue(label: "lora-train.embed")
    private let adapters = AdapterCache()
    private let pending = LockedValue<[PendingEmbedding]>([])

    /// Loads the model in `modelDirectory`; each batch is split over `threads` threads.
    public init(modelDirectory: String, maxLength: Int = 128, threads: Int = 1) throws(LoRAError) {
        self.modelDirectory = modelDirectory
        self.threads = max(1, threads)
        encoder = try Encoder(directory: modelDirectory)
        do { tokenizer = try WordPieceTokenizer(vocabPath: modelDirectory + "/vocab.txt") } catch { throw .tokenizer(error) }
        self.maxLength = min(maxLength, encoder.config.maxPositions)
    }

    /// The width of every embedding.
    public var dimensions: Int { encoder.config.hiddenSize }

    /// The normalised embeddings of `texts`, through the adapter in `adapterDirectory` when given.
    ///
    /// Requests that arrive while the queue is busy are embedded together in one forward pass per
    /// adapter, so throughput grows with load instead of each request waiting for the one before.
    public func embed(_ texts: [String], adapterDirectory: String?) async throws(LoRAError) -> [[Float]] {
        let adapter = try adapterDirectory.map { (path) throws(LoRAError) in try adapters.adapter(at: path, for: encoder.config) }
        // Tokenized here, on the request's own task, so the one embedding queue only computes.
        let encodings = texts.map { tokenizer.encode($0, maxLength: maxLength) }
        return await withCheckedContinuation { continuation in
            let first = pending.withLock { waiting in
                waiting.append(PendingEmbedding(
                    encodings: encodings, adapterDirectory: adapterDirectory, adapter: adapter, reply: continuation))
                return waiting.count == 1
            }
            if first { queue.async { self.drain() } }
        }
    }

    /// Embeds everything waiting, grouped by adapter, until nothing is left.
    private func drain() {
        while true {
            let batch: [PendingEmbedding] = pending.withLock { waiting in
                var taken: [PendingEmbedding] = []
                var texts = 0
                while let next = waiting.first, taken.isEmpty || texts + next.encodings.count <= Self.maxBatchTexts {
                    texts += next.encodings.count
                    taken.append(waiting.removeFirst())
                }
                return taken
            }
            guard !batch.isEmpty else { return }
            for group in Dictionary(grouping: batch, by: \.adapterDirectory).values {
                let encodings = group.flatMap(\.encodings)
                let vectors = withComputeThreads(threads) {
                    encoder.embed(encodings, batchSize: Self.lengthRun, paddingID: tokenizer.paddingID, adapter: group[0].adapter)
                }
                var start = 0
                for request in group {
                    request.reply.resume(returning: Array(vectors[start..<(start + request.encodings.count)]))
                    start += request.encodings.count
                }
            }
            if pending.withLock({ $0.isEmpty }) { return }
        }
    }

    /// The most texts embedded in one forward pass.
    static let maxBatchTexts = 256
    /// Texts per forward pass after sorting by length.
    static let lengthRun = 32
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
