import Foundation
import Hummingbird

/// An error answer of the API: a status and a JSON body `{"error": ..., "problems": [...]}`.
struct APIError: HTTPResponseError {
    let status: HTTPResponse.Status
    let message: String
    var problems: [String] = []
    var retryAfterSeconds: Int?

    var headers: HTTPFields {
        var fields: HTTPFields = [.contentType: "application/json"]
        if let retryAfterSeconds { fields[.retryAfter] = String(retryAfterSeconds) }
        return fields
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = ErrorBody(error: message, problems: problems.isEmpty ? nil : problems)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(data: try JSONCoding.encode(body))))
    }

    private struct ErrorBody: Encodable {
        let error: String
        let problems: [String]?
    }
}

/// The JSON encoding of every answer: sorted keys, snake_case names given by the types.
enum JSONCoding {
    static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(10)
        return data
    }

    /// A 200 (or `status`) answer with `value` as its JSON body.
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(data: try encode(value))))
    }

    /// The request's body decoded as `type`, refusing bodies over `limit` bytes (413) and malformed JSON (400).
    static func decode<Value: Decodable>(_ type: Value.Type, from request: inout Request, limit: Int) async throws -> Value {
        let buffer = try await body(of: &request, limit: limit)
        do { return try JSONDecoder().decode(type, from: Data(buffer: buffer)) } catch let error as DecodingError {
            throw APIError(status: .badRequest, message: "malformed request body: \(describe(error))")
        }
    }

    /// The request's body, refusing bodies over `limit` bytes with 413.
    static func body(of request: inout Request, limit: Int) async throws -> ByteBuffer {
        do { return try await request.collectBody(upTo: limit) } catch let error as any HTTPResponseError
            where error.status == .contentTooLarge {
            throw APIError(status: .contentTooLarge, message: "request body is larger than the \(limit)-byte limit")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case let .keyNotFound(key, _): "missing key \"\(key.stringValue)\""
        case let .typeMismatch(type, context): "\(path(context)) must be \(type == String.self ? "a string" : "\(type)")"
        case let .valueNotFound(_, context): "\(path(context)) is null"
        case let .dataCorrupted(context): context.codingPath.isEmpty ? "not valid JSON" : "\(path(context)): \(context.debugDescription)"
        @unknown default: "\(error)"
        }
    }

    private static func path(_ context: DecodingError.Context) -> String {
        context.codingPath.isEmpty ? "the body" : "\"" + context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".") + "\""
    }
}
