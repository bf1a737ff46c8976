import ArgumentParser
import Foundation
import LoRA

/// `lora-train embed`: the sentence embeddings of texts, with or without a LoRA adapter.
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Print the sentence embeddings of texts (mean-pooled, L2-normalised), optionally through a LoRA adapter.",
        discussion: """
            Texts come from the arguments, or from stdin one per line when there are none or the only one is "-". \
            -o json prints {"model", "adapter", "dimensions", "embeddings"} with one embedding per text in input \
            order; -o jsonl prints one {"text", "embedding"} object per line. Numbers are printed so that they \
            read back as the same 32-bit floats. Exits 1 when the model or adapter cannot be loaded.
            """
    )

    /// `-o json|jsonl`.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, jsonl
    }

    @Option(name: .long, help: "The model directory, holding config.json, model.safetensors and vocab.txt.")
    var model: String

    @Option(name: .long, help: "A PEFT LoRA adapter directory to apply.")
    var adapter: String?

    @Option(
        name: .long,
        help: "Tokens per text, [CLS] and [SEP] included; longer texts are truncated. (default: 128, or the model's max_position_embeddings when smaller)"
    )
    var maxLength: Int?

    @Option(name: .long, help: "Texts per forward pass.")
    var batchSize = 32

    @Option(name: [.customShort("o"), .long], help: "Output format: json or jsonl.")
    var output: Format = .json

    @Argument(help: "Texts to embed; none, or \"-\", reads them from stdin, one per line.")
    var texts: [String] = []

    func validate() throws {
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1, not \(batchSize)") }
        if let maxLength, maxLength < 2 {
            throw ValidationError("--max-length must be at least 2, room for [CLS] and [SEP], not \(maxLength)")
        }
    }

    func run() throws {
        let embedder: Embedder
        do { embedder = try Embedder(model: model, adapter: adapter) } catch { throw Console.fail(error) }
        let limit = embedder.encoder.config.maxPositions
        if let maxLength, maxLength > limit {
            Console.err("error: --max-length \(maxLength) is longer than the model's max_position_embeddings, \(limit)\n")
            throw ExitCode.validationFailure
        }
        let inputs = texts.isEmpty || texts == ["-"] ? Self.standardInputLines() : texts
        let embeddings = embedder.embed(inputs, maxLength: maxLength ?? min(128, limit), batchSize: batchSize)
        switch output {
        case .json:
            Console.out(Self.document(
                model: model, adapter: adapter, dimensions: embedder.encoder.config.hiddenSize, embeddings: embeddings))
        case .jsonl:
            for (text, embedding) in zip(inputs, embeddings) {
                Console.out("{\"text\": \(JSONText.string(text)), \"embedding\": \(JSONText.array(embedding))}\n")
            }
        }
    }

    /// The `-o json` document, one embedding per line.
    static func document(model: String, adapter: String?, dimensions: Int, embeddings: [[Float]]) -> String {
        let rows = embeddings.map { "    " + JSONText.array($0) }.joined(separator: ",\n")
        return """
            {
              "model": \(JSONText.string(model)),
              "adapter": \(JSONText.string(adapter)),
              "dimensions": \(dimensions),
              "embeddings": [\(rows.isEmpty ? "" : "\n" + rows + "\n  ")]
            }

            """
    }

    /// Every line of stdin, without its line ending; blank lines are texts too, so output lines match input lines.
    static func standardInputLines() -> [String] {
        var lines: [String] = []
        while let line = readLine(strippingNewline: true) {
            lines.append(line.hasSuffix("\r") ? String(line.dropLast()) : line)
        }
        return lines
    }
}

extension EmbedCommand {
    /// An encoder with its tokenizer and optional adapter, embedding texts in batches.
    struct Embedder {
        let encoder: Encoder
        let tokenizer: WordPieceTokenizer
        let adapter: LoRAAdapter?

        /// Loads the model directory and, when given, the adapter directory, checking they fit together.
        init(model: String, adapter adapterPath: String?) throws(LoRAError) {
            encoder = try Encoder(directory: model)
            let vocabPath = model + "/vocab.txt"
            do { tokenizer = try WordPieceTokenizer(vocabPath: vocabPath) } catch { throw .tokenizer(error) }
            guard tokenizer.vocabularySize <= encoder.config.vocabularySize else {
                throw .invalidModel(
                    path: model,
                    reason: "vocab.txt has \(tokenizer.vocabularySize) tokens; config.json's vocab_size is \(encoder.config.vocabularySize)")
            }
            if let adapterPath {
                let peft = try PEFTAdapter(contentsOf: adapterPath)
                adapter = try LoRAAdapter(peft, for: encoder.config, path: adapterPath)
            } else {
                adapter = nil
            }
        }

        /// One embedding per text, in the order of `texts`.
        func embed(_ texts: [String], maxLength: Int, batchSize: Int) -> [[Float]] {
            encoder.embed(texts.map { tokenizer.encode($0, maxLength: maxLength) }, batchSize: batchSize, adapter: adapter)
        }
    }
}
