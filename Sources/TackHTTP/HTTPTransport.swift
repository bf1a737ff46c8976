/// Something that sends HTTP requests: `CurlHTTPClient`, or a recording stand-in in tests of
/// code built on top of it.
public protocol HTTPTransport: Sendable {
    /// Sends a request and gives the whole response; non-2xx statuses are responses, not errors,
    /// once retries are spent.
    func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse
}
