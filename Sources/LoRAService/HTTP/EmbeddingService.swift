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
    private let queue = DispatchQueue(label: "lora-train.embed")
    private let adapters = AdapterCache()

    /// Loads the model in `modelDirectory`.
    public init(modelDirectory: String, maxLength: Int = 128) throws(LoRAError) {
        self.modelDirectory = modelDirectory
        encoder = try Encoder(directory: modelDirectory)
        do { tokenizer = try WordPieceTokenizer(vocabPath: modelDirectory + "/vocab.txt") } catch { throw .tokenizer(error) }
        self.maxLength = min(maxLength, encoder.config.maxPositions)
    }

    /// The width of every embedding.
    public var dimensions: Int { encoder.config.hiddenSize }

    /// The normalised embeddings of `texts`, through the adapter in `adapterDirectory` when given.
    public func embed(_ texts: [String], adapterDirectory: String?) async throws(LoRAError) -> [[Float]] {
        let adapter = try adapterDirectory.map { (path) throws(LoRAError) in try adapters.adapter(at: path, for: encoder.config) }
        let result: Result<[[Float]], LoRAError> = await withCheckedContinuation { continuation in
            queue.async { [encoder, tokenizer, maxLength] in
                let batch = TokenBatch(tokenizer.encode(batch: texts, maxLength: maxLength))
                continuation.resume(returning: .success(encoder.embed(batch, adapter: adapter)))
            }
        }
        return try result.get()
    }
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
