import Foundation
import TackHTTP
import Testing

/// A client for tests: short backoff so retries after connection errors take milliseconds.
func makeClient(
    retry: RetryPolicy = RetryPolicy(baseDelay: .milliseconds(10), maxDelay: .milliseconds(50)),
    configure: (inout HTTPClientConfiguration) -> Void = { _ in }
) throws -> CurlHTTPClient {
    var configuration = HTTPClientConfiguration(retry: retry)
    configure(&configuration)
    return try CurlHTTPClient(configuration: configuration)
}

/// The error `operation` throws, or nil (recorded as an issue) when it succeeds.
func failure<T>(
    _ operation: () async throws(HTTPError) -> T, sourceLocation: SourceLocation = #_sourceLocation
) async -> HTTPError? {
    do {
        _ = try await operation()
        Issue.record("expected an HTTPError", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

/// The seconds `operation` took.
func seconds(_ operation: () async throws -> Void) async rethrows -> Double {
    let start = ContinuousClock.now
    try await operation()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

/// Waits until `condition` holds, checking every 50 ms for at most `limit`; whether it held.
func eventually(within limit: Duration = .seconds(5), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}

/// The JSON object in a response body.
func json(_ response: HTTPResponse) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
}

/// What `operation` gives or throws, for tasks (whose own failure type is `any Error`).
func result<T>(_ operation: () async throws(HTTPError) -> T) async -> Result<T, HTTPError> {
    do { return .success(try await operation()) } catch { return .failure(error) }
}

extension Result {
    /// The error, if this is a failure.
    var failure: Failure? {
        if case .failure(let error) = self { error } else { nil }
    }
}
