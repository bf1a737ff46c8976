import Foundation
import Synchronization
import TackHTTP

/// An `HTTPTransport` that records every request and answers with what `respond` says.
final class RecordingTransport: HTTPTransport {
    private let recorded = Mutex<[HTTPRequest]>([])
    private let respond: @Sendable (HTTPRequest) -> Result<HTTPResponse, HTTPError>

    init(_ respond: @escaping @Sendable (HTTPRequest) -> Result<HTTPResponse, HTTPError>) {
        self.respond = respond
    }

    /// Always answers `status` with `body` as JSON.
    convenience init(status: Int = 200, body: [UInt8], contentType: String = "application/json") {
        self.init { _ in .success(HTTPResponse(status: status, headers: ["Content-Type": contentType], body: body)) }
    }

    /// Every request so far, in order.
    var requests: [HTTPRequest] { recorded.withLock { $0 } }

    func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        recorded.withLock { $0.append(request) }
        return try respond(request).get()
    }
}

extension HTTPRequest {
    /// The body as text.
    var bodyText: String { String(decoding: body ?? [], as: UTF8.self) }

    /// The form fields of an `application/x-www-form-urlencoded` body, decoded.
    var form: [String: String] {
        var fields: [String: String] = [:]
        for pair in bodyText.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
            fields[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return fields
    }
}

/// The bytes of `Fixtures/<name>`.
func fixture(_ name: String) throws -> [UInt8] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
    return Array(try Data(contentsOf: url))
}

/// The path of `Fixtures/<name>`.
func fixturePath(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path
}
