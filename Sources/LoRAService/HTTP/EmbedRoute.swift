import Foundation
import Hummingbird
import LoRA

/// `POST /v1/embed`: `{"texts": [...], "adapter": "JOB_ID"}` → `{"embeddings": [[...]], ...}`.
struct EmbedRoute {
    let embeddings: EmbeddingService
    let bodyLimit: Int
    /// The adapter directory of a succeeded job, or an API error (404 unknown, 409 not finished).
    let adapterDirectory: @Sendable (String) async throws -> String
    /// The most texts one request may carry.
    static let maxTexts = 256

    struct Body: Decodable {
        let texts: [String]
        let adapter: String?
    }

    func handle(_ request: Request) async throws -> Response {
        var request = request
        let body = try await JSONCoding.decode(Body.self, from: &request, limit: bodyLimit)
        guard !body.texts.isEmpty, body.texts.count <= Self.maxTexts else {
            throw APIError(status: .unprocessableContent, message: "texts must hold 1 to \(Self.maxTexts) strings; got \(body.texts.count)")
        }
        let directory = try await body.adapter.asyncMap(adapterDirectory)
        let vectors: [[Float]]
        do { vectors = try await embeddings.embed(body.texts, adapterDirectory: directory) } catch {
            throw APIError(status: .unprocessableContent, message: error.description)
        }
        return try EmbedAnswer(
            model: URL(fileURLWithPath: embeddings.modelDirectory).lastPathComponent, adapter: body.adapter,
            dimensions: embeddings.dimensions, embeddings: vectors
        ).response()
    }
}

extension Optional {
    /// The wrapped value mapped by an async function, or nil.
    func asyncMap<Mapped>(_ transform: (Wrapped) async throws -> Mapped) async rethrows -> Mapped? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
