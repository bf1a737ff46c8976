import Foundation
import LoRA
import Testing
@testable import LoRAService

@Suite("the embedding service's workers")
struct EmbeddingServiceTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    /// The real all-MiniLM-L6-v2, fetched by scripts/fetch-model.sh as scripts/test.sh does.
    static let model = root.appendingPathComponent("models/all-MiniLM-L6-v2").path
    static let modelPresent = FileManager.default.fileExists(atPath: model + "/model.safetensors")
    static let tinyModel = root.appendingPathComponent("Tests/LoRATests/Fixtures/tiny-bert").path

    /// Writes a small all-MiniLM-L6-v2 adapter whose update is not zero as directory `path`.
    static func writeAdapter(to path: String) throws {
        let sites = [TargetSite(layer: 0, module: .query), TargetSite(layer: 0, module: .value), TargetSite(layer: 3, module: .query)]
        var rng = RandomGenerator(seed: 7)
        var parameters = LoRAInitialization.parameters(sites: sites, rank: 2, hiddenSize: 384, intermediateSize: 1536, rng: &rng)
        for index in parameters.indices where index % 2 == 1 {
            parameters[index].value = parameters[index].value.indices.map { Float($0 % 7) * 0.02 - 0.06 }
        }
        let config = PEFTAdapter.Config(rank: 2, alpha: 16, targetModules: ["query", "value"], baseModel: "sentence-transformers/all-MiniLM-L6-v2")
        try PEFTAdapter(config: config, parameters: parameters).write(to: path)
    }

    /// The largest difference between two lists of vectors of the same shape, or infinity when the shapes differ.
    static func difference(_ actual: [[Float]], _ expected: [[Float]]) -> Float {
        guard actual.count == expected.count, zip(actual, expected).allSatisfy({ $0.count == $1.count }) else { return .infinity }
        return zip(actual, expected).map { zip($0, $1).map { abs($0 - $1) }.max() ?? 0 }.max() ?? 0
    }

    /// The names of this process's threads, by thread id.
    static func threadNames() -> [String: String] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        var names: [String: String] = [:]
        for task in tasks {
            guard let name = try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8) else { continue }
            names[task] = name.trimmingCharacters(in: .newlines)
        }
        return names
    }

    /// Polls `condition` every 20 ms for up to `seconds`; whether it came true.
    static func eventually(within seconds: Double = 5, _ condition: () -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() {
            if Date() > deadline { return false }
            try await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    @Test("40 concurrent requests on two workers, some through an adapter, each get the vectors of their texts embedded alone, in order",
          .enabled(if: modelPresent))
    func concurrentRequestsMatchAlone() async throws {
        let directory = NSTemporaryDirectory() + "lora-embed-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let adapter = directory + "/adapter"
        try Self.writeAdapter(to: adapter)
        let service = try EmbeddingService(modelDirectory: Self.model, threads: 2)
        let words = "the quick brown fox jumps over the lazy dog while a cat sleeps in the warm sun".split(separator: " ")
        let requests: [(texts: [String], adapter: String?)] = (0..<40).map { index in
            let texts = (0...(index % 3)).map { text in
                "request \(index) text \(text): " + words.prefix((index * 7 + text * 5) % words.count + 1).joined(separator: " ")
            }
            return (texts, index % 4 == 1 || index % 7 == 0 ? adapter : nil)
        }

        let answers = try await withThrowingTaskGroup(of: (Int, [[Float]]).self) { group in
            for (index, request) in requests.enumerated() {
                group.addTask { (index, try await service.embed(request.texts, adapterDirectory: request.adapter)) }
            }
            var answers = [[[Float]]](repeating: [], count: requests.count)
            for try await (index, vectors) in group { answers[index] = vectors }
            return answers
        }

        for (index, request) in requests.enumerated() {
            var alone: [[Float]] = []
            for text in request.texts { alone += try await service.embed([text], adapterDirectory: request.adapter) }
            #expect(alone.allSatisfy { $0.count == service.dimensions })
            #expect(Self.difference(answers[index], alone) <= 1e-5, "request \(index): \(request.texts)")
        }
        let base = try await service.embed(requests[1].texts, adapterDirectory: nil)
        #expect(Self.difference(base, answers[1]) > 1e-3, "the adapter changes the embeddings")
    }

    @Test("releasing the service ends its worker threads")
    func releaseEndsWorkers() async throws {
        var service: EmbeddingService? = try EmbeddingService(modelDirectory: Self.tinyModel, threads: 3)
        weak let released = service
        let queue = try #require(service?.queue)
        #expect(try await service?.embed(["the cat sat"], adapterDirectory: nil).count == 1)
        // Each worker names its thread as it starts, then records its id.
        #expect(try await Self.eventually { queue.workerThreadIDs.count == 3 })
        let ours = Set(queue.workerThreadIDs.map(String.init))
        let names = Self.threadNames()
        #expect(ours.allSatisfy { names[$0] == "lora-embed" }, "\(ours) in \(names)")
        #expect(queue.runningWorkers == 3)

        service = nil
        #expect(released == nil, "no worker holds the service")
        #expect(try await Self.eventually { queue.runningWorkers == 0 })
        // By id, not by name: other suites' services start and end threads of the same name meanwhile.
        #expect(try await Self.eventually { ours.isDisjoint(with: Self.threadNames().keys) }, "\(ours) in \(Self.threadNames())")
    }
}
