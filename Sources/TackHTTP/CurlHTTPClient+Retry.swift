extension CurlHTTPClient {
    /// Makes attempts until the retry policy says to stop, and gives the last one's response or
    /// throws its error, counting the attempts. `discard` lets go of a response that is retried.
    func retrying<Response>(
        _ request: HTTPRequest, target: RequestTarget,
        head: (Response) -> (status: Int, headers: HTTPHeaders),
        discard: (Response) -> Void = { _ in },
        attempt: () async -> Result<Response, TransferFailure>
    ) async throws(HTTPError) -> Response {
        var count = 1
        while true {
            let result = await attempt()
            let outcome: AttemptOutcome = switch result {
            case .success(let response): .response(status: head(response).status, retryAfter: head(response).headers["Retry-After"])
            case .failure(let failure): .failure(isRetryable: failure.isRetryable)
            }
            let jitter = RetryPolicy.randomJitter()
            switch configuration.retry.decision(method: request.method, attempt: count, outcome: outcome, jitter: jitter) {
            case .finish:
                switch result {
                case .success(let response):
                    return response
                case .failure(var failure):
                    failure.error.attempts = count
                    throw failure.error
                }
            case .retry(let delay):
                if case .success(let response) = result { discard(response) }
                do {
                    try await Task.sleep(for: delay)
                } catch {
                    var error = target.error(.cancelled, "the request was cancelled while waiting to retry")
                    error.attempts = count
                    throw error
                }
                count += 1
            }
        }
    }
}
