/// An HTTP client on libcurl: one multi handle driven by its own thread, so requests run at once
/// over reused connections (keep-alive, HTTP/2 where the server speaks it).
public final class CurlHTTPClient: HTTPTransport, Sendable {
    /// The configuration the client was made with.
    public let configuration: HTTPClientConfiguration
    let driver: CurlDriver

    /// A client with its driver thread running; throws for unusable TLS material or limits.
    public init(configuration: HTTPClientConfiguration = HTTPClientConfiguration()) throws(HTTPError) {
        try configuration.validate()
        self.configuration = configuration
        driver = try CurlDriver(maxConnectionsPerHost: configuration.maxConnectionsPerHost)
        if configuration.tls.insecureSkipVerify {
            configuration.warningHandler(
                "TLS certificate verification is off (insecureSkipVerify): any server can impersonate the one intended")
        }
    }

    deinit {
        driver.shutdown()
    }

    /// Cancels every running request and stream and stops the driver thread; later requests fail
    /// as cancelled. Idempotent.
    public func shutdown() {
        driver.shutdown()
    }

    /// Sends a request and gives the whole response, retrying idempotent requests as the retry
    /// policy says; a status is a response, not an error, once retries are spent.
    public func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        let target = try RequestTarget(request, serverName: configuration.tls.serverName)
        return try await retrying(request, target: target, head: { ($0.status, $0.headers) }) {
            await perform(request, target: target)
        }
    }

    /// One attempt of `send`.
    private func perform(_ request: HTTPRequest, target: RequestTarget) async -> Result<HTTPResponse, TransferFailure> {
        await attempt(request, target: target, purpose: .response) { transfer, continuation in
            BufferedSink(target: target, continuation: continuation)
        }
    }

    /// Runs one transfer on the driver: the sink made for it resumes the continuation, and
    /// cancelling the task cancels the transfer. Shared by `send` and `stream`.
    func attempt<Value>(
        _ request: HTTPRequest, target: RequestTarget, purpose: CurlTransfer.Purpose,
        sink: (CurlTransfer, CheckedContinuation<Result<Value, TransferFailure>, Never>) -> any TransferSink
    ) async -> Result<Value, TransferFailure> {
        let transfer: CurlTransfer
        do {
            transfer = try CurlTransfer(request: request, target: target, configuration: configuration, purpose: purpose)
        } catch {
            return .failure(TransferFailure(error: error, isRetryable: false))
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                transfer.sink = sink(transfer, continuation)
                driver.submit(transfer)
            }
        } onCancel: {
            driver.cancel(transfer)
        }
    }
}
