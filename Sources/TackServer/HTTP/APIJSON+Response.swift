import Foundation
import Hummingbird

extension APIJSON {
    /// A `status` answer with `value` as its JSON body, ending with a newline.
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        var data = try encoder().encode(value)
        data.append(10)
        return Response(
            status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(data: data)))
    }

    /// The request's body decoded as `type`: 413 past `limit` bytes, 400 when it is not that JSON.
    static func decode<Value: Decodable>(_ type: Value.Type, from request: Request, limit: Int) async throws -> Value {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw APIError(.contentTooLarge, "the request body is larger than the \(limit)-byte limit")
        }
        do {
            return try decoder().decode(type, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            throw APIError(.badRequest, "the request body is not valid: \(describe(error))")
        }
    }

    /// A decoding error in a few words: `missing key "pipeline"`, `not valid JSON`.
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.isEmpty ? "the body" : "\"" + context.codingPath.map(\.stringValue).joined(separator: ".") + "\""
        }
        switch error {
        case let .keyNotFound(key, _): return "missing key \"\(key.stringValue)\""
        case let .typeMismatch(type, context): return "\(path(context)) must be \(type == String.self ? "a string" : "\(type)")"
        case let .valueNotFound(_, context): return "\(path(context)) is null"
        case let .dataCorrupted(context): return context.codingPath.isEmpty ? "not valid JSON" : "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
