import Foundation
import Hummingbird
import LoRA

/// The body of a `POST /v1/embed` answer, written straight to bytes: the embeddings are most of
/// the service's output, and `JSONEncoder` spent more time boxing each Float than writing it.
/// Keys are sorted, as `JSONCoding` writes every other answer.
struct EmbedAnswer {
    let model: String
    let adapter: String?
    let dimensions: Int
    let embeddings: [[Float]]

    /// The JSON text, or nil when a value is not finite (JSON has no NaN or infinity).
    var json: String? {
        var text = "{\"adapter\":" + (adapter.map(JSONString.quoted) ?? "null")
        text += ",\"dimensions\":\(dimensions),\"embeddings\":["
        text.reserveCapacity(text.utf8.count + embeddings.count * (dimensions * 12 + 4) + model.utf8.count + 16)
        for (row, vector) in embeddings.enumerated() {
            text += row == 0 ? "[" : ",["
            for (column, value) in vector.enumerated() {
                guard value.isFinite else { return nil }
                if column > 0 { text += "," }
                text += value.description
            }
            text += "]"
        }
        return text + "],\"model\":" + JSONString.quoted(model) + "}"
    }

    /// A 200 answer with this body, or a 500 when a value is not finite.
    func response() throws -> Response {
        guard let json else {
            throw APIError(status: .internalServerError, message: "the model produced a non-finite embedding")
        }
        return Response(
            status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: json)))
    }
}
