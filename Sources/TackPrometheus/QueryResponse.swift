import Foundation
import TackHTTP

/// The JSON envelope of the query API: `{"status":"success","data":{…}}` or
/// `{"status":"error","errorType":"bad_data","error":"…"}`. `warnings` are not kept.
struct QueryResponse: Decodable {
    var status: String
    var data: QueryData?
    var errorType: String?
    var error: String?

    /// The result in `response`, or why there is none; server text is passed through `redact`.
    static func decode(_ response: HTTPResponse, endpoint: String, redact: (String) -> String) -> Result<QueryResult, PrometheusError> {
        let body = response.body
        guard body.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) == UInt8(ascii: "{") else {
            return .failure(.invalidResponse(endpoint: endpoint, status: response.status,
                                             detail: redact(Self.describeForeign(response))))
        }
        let envelope: QueryResponse
        do {
            envelope = try JSONDecoder().decode(QueryResponse.self, from: Data(body))
        } catch let error as DecodingError {
            return .failure(.invalidResponse(endpoint: endpoint, status: response.status,
                                             detail: redact("a JSON body Tack cannot read (\(Self.describe(error)))")))
        } catch {
            return .failure(.invalidResponse(endpoint: endpoint, status: response.status, detail: "an unreadable body"))
        }
        switch (envelope.status, envelope.data) {
        case ("success", let data?):
            return .success(data.result)
        case ("error", _):
            return .failure(.api(endpoint: endpoint, status: response.status, errorType: envelope.errorType ?? "unknown",
                                 message: redact(Self.oneLine(envelope.error ?? "no message"))))
        default:
            return .failure(.invalidResponse(endpoint: endpoint, status: response.status,
                                             detail: "a body whose status is \"\(redact(Self.oneLine(envelope.status)))\" without data"))
        }
    }

    /// `a text/html body of 157 bytes: "502 Bad Gateway"`: the type, the size and the page title or
    /// first line, shortened.
    static func describeForeign(_ response: HTTPResponse) -> String {
        let type = response.headers["Content-Type"].map { String($0.prefix { $0 != ";" }) } ?? "an untyped"
        let text = String(decoding: response.body.prefix(4096), as: UTF8.self)
        var excerpt = text
        if let open = text.range(of: "<title>", options: .caseInsensitive),
           let close = text.range(of: "</title>", options: .caseInsensitive, range: open.upperBound..<text.endIndex) {
            excerpt = String(text[open.upperBound..<close.lowerBound])
        }
        excerpt = oneLine(excerpt.split(whereSeparator: \.isNewline).first.map(String.init) ?? "")
        if excerpt.count > 100 { excerpt = excerpt.prefix(99) + "…" }
        let kind = type == "an untyped" ? "an untyped body" : "a \(type) body"
        return "\(kind) of \(response.body.count) bytes, not Prometheus JSON" + (excerpt.isEmpty ? "" : ": \"\(excerpt)\"")
    }

    /// Where and what went wrong while decoding, without quoting the body.
    static func describe(_ error: DecodingError) -> String {
        let (context, what): (DecodingError.Context, String) = switch error {
        case .typeMismatch(_, let c): (c, "wrong type")
        case .valueNotFound(_, let c): (c, "missing value")
        case .keyNotFound(let key, let c): (c, "missing \"\(key.stringValue)\"")
        case .dataCorrupted(let c): (c, c.codingPath.isEmpty ? "invalid JSON" : c.debugDescription)
        @unknown default: (DecodingError.Context(codingPath: [], debugDescription: ""), "unreadable")
        }
        let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return path.isEmpty ? what : "\(path.hasPrefix(".") ? String(path.dropFirst()) : path): \(what)"
    }

    /// `text` with line breaks turned into spaces.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
    }
}

/// `data`: a `resultType` and a `result` whose shape depends on it.
struct QueryData: Decodable {
    var result: QueryResult

    private enum Keys: String, CodingKey { case resultType, result }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        let type = try container.decode(String.self, forKey: .resultType)
        switch type {
        case "vector":
            result = .vector(try container.decode([VectorItem].self, forKey: .result).map {
                Sample(labels: $0.metric, timestamp: $0.value.timestamp, value: $0.value.value)
            })
        case "matrix":
            result = .matrix(try container.decode([MatrixItem].self, forKey: .result).map {
                Series(labels: $0.metric, points: $0.values.map { Point(timestamp: $0.timestamp, value: $0.value) })
            })
        case "scalar":
            result = .scalar(try container.decode(RawPoint.self, forKey: .result).value)
        case "string":
            var pair = try container.nestedUnkeyedContainer(forKey: .result)
            _ = try pair.decode(Double.self)
            result = .string(try pair.decode(String.self))
        default:
            throw DecodingError.dataCorruptedError(forKey: .resultType, in: container,
                                                   debugDescription: "unknown resultType \"\(type)\"")
        }
    }

    private struct VectorItem: Decodable {
        var metric: [String: String]
        var value: RawPoint
    }

    private struct MatrixItem: Decodable {
        var metric: [String: String]
        var values: [RawPoint]
    }
}

/// `[1700000000.123, "0.5"]`: a timestamp and a value written as a string, which may be `NaN`,
/// `+Inf` or `-Inf`.
struct RawPoint: Decodable {
    var timestamp: Double
    var value: Double

    init(from decoder: any Decoder) throws {
        var pair = try decoder.unkeyedContainer()
        timestamp = try pair.decode(Double.self)
        let text = try pair.decode(String.self)
        guard let value = Double(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath + [Index(intValue: 1)],
                                                    debugDescription: "\"\(text.prefix(40))\" is not a number"))
        }
        self.value = value
    }

    /// A position in an array, for error paths.
    private struct Index: CodingKey {
        var intValue: Int?
        var stringValue: String { "\(intValue ?? 0)" }
        init(intValue: Int) { self.intValue = intValue }
        init?(stringValue: String) { nil }
    }
}
