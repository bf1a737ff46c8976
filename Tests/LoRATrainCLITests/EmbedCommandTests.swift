import Foundation
import Testing

@Suite("lora-train embed")
struct EmbedCommandTests {
    static func embeddings(_ run: LoRATrainRun) throws -> [[Float]] {
        let rows = try run.json()["embeddings"] as? [[NSNumber]] ?? []
        return rows.map { $0.map(\.floatValue) }
    }

    static func isUnit(_ vector: [Float]) -> Bool {
        abs(vector.reduce(0) { $0 + $1 * $1 } - 1) < 1e-4
    }

    @Test("embed prints valid JSON with the model, no adapter, the width and one unit vector per text")
    func document() throws {
        let run = try LoRATrainRun(["embed", "--model", LoRATrainRun.tinyModel, "hello world", "hi there"])
        #expect(run.status == 0)
        #expect(run.stderr == "")
        let json = try run.json()
        #expect(json["model"] as? String == LoRATrainRun.tinyModel)
        #expect(json["adapter"] is NSNull)
        #expect(json["dimensions"] as? Int == 32)
        let embeddings = try Self.embeddings(run)
        #expect(embeddings.count == 2)
        #expect(embeddings.allSatisfy { $0.count == 32 && Self.isUnit($0) })
    }

    @Test("every printed number is the shortest text of a Float, so it reads back unchanged")
    func roundTripNumbers() throws {
        let run = try LoRATrainRun(["embed", "--model", LoRATrainRun.tinyModel, "hello"])
        let numbers = run.stdout.split(separator: "\n").filter { $0.hasPrefix("    [") }
            .flatMap { $0.dropFirst(5).dropLast().split(separator: ", ") }
        #expect(numbers.count == 32)
        for text in numbers {
            let value = try #require(Float(String(text)))
            #expect(String(describing: value) == String(text))
        }
    }

    @Test("embeddings come back in input order whatever the batching")
    func inputOrder() throws {
        let texts = ["a much longer sentence about the weather today", "short", "a medium length one"]
        let batched = try Self.embeddings(LoRATrainRun(["embed", "--model", LoRATrainRun.tinyModel, "--batch-size", "2"] + texts))
        for (index, text) in texts.enumerated() {
            let alone = try Self.embeddings(LoRATrainRun(["embed", "--model", LoRATrainRun.tinyModel, text]))
            #expect(zip(batched[index], alone[0]).allSatisfy { abs($0 - $1) < 1e-5 })
        }
    }

    @Test("with no texts, stdin is read one text per line, and -o jsonl prints one object per text")
    func standardInputLines() throws {
        let run = try LoRATrainRun(["embed", "--model", LoRATrainRun.tinyModel, "-o", "jsonl"], input: "a \"quoted\"\ttext\n\nlast\r\n")
        #expect(run.status == 0)
        let lines = run.stdout.split(separator: "\n").map { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] ?? [:]
        }
        #expect(lines.map { $0["text"] as? String } == ["a \"quoted\"\ttext", "", "last"])
        #expect(lines.allSatisfy { ($0["embedding"] as? [NSNumber])?.count == 32 })
    }

    @Test("an adapter changes the embeddings and is named in the output")
    func adapter() throws {
        let plain = try LoRATrainRun(["embed", "--model", LoRATrainRun.tinyModel, "hello world"])
        let adapted = try LoRATrainRun(["embed", "--model", LoRATrainRun.tinyModel, "--adapter", LoRATrainRun.tinyAdapter, "hello world"])
        #expect(adapted.status == 0)
        #expect(try adapted.json()["adapter"] as? String == LoRATrainRun.tinyAdapter)
        #expect(try Self.embeddings(adapted) != Self.embeddings(plain))
        #expect(try Self.embeddings(adapted).allSatisfy(Self.isUnit))
    }

    @Test("all-MiniLM-L6-v2 embeds \"hello world\" as sentence-transformers does")
    func miniLM() throws {
        let run = try LoRATrainRun(["embed", "--model", LoRATrainRun.miniLM, "hello world"])
        let embedding = try #require(try Self.embeddings(run).first)
        #expect(embedding.count == 384)
        // sentence-transformers 'all-MiniLM-L6-v2'.encode("hello world")[:3]
        #expect(zip(embedding.prefix(3), [-0.034477275, 0.031023199, 0.006734998]).allSatisfy { abs($0 - $1) < 1e-5 })
    }

    @Test("a missing model, a missing adapter and an adapter for another model exit 1 with error: and the path")
    func loadErrors() throws {
        let cases: [([String], String)] = [
            (["--model", "/nonexistent-model"], "/nonexistent-model/config.json"),
            (["--model", LoRATrainRun.tinyModel, "--adapter", "/nonexistent-adapter"], "/nonexistent-adapter"),
            (["--model", LoRATrainRun.miniLM, "--adapter", LoRATrainRun.tinyAdapter], "this model needs [4, 384]"),
        ]
        for (arguments, mention) in cases {
            let run = try LoRATrainRun(["embed"] + arguments + ["text"])
            #expect(run.status == 1)
            #expect(run.stdout == "")
            #expect(run.stderr.hasPrefix("error: "))
            #expect(run.stderr.contains(mention))
        }
    }

    @Test("a --max-length beyond the model's positions or a --batch-size of 0 is a usage error")
    func usageErrors() throws {
        let long = try LoRATrainRun(["embed", "--model", LoRATrainRun.tinyModel, "--max-length", "100", "text"])
        #expect(long.status == 64)
        #expect(long.stderr.contains("max_position_embeddings, 64"))
        let empty = try LoRATrainRun(["embed", "--model", LoRATrainRun.tinyModel, "--batch-size", "0", "text"])
        #expect(empty.status == 64)
    }
}
