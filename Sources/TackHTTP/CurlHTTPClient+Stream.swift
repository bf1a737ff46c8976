extension CurlHTTPClient {
    /// Buffered lines past which a stream's transfer is paused until the consumer catches up.
    static let streamHighWater = 1 << 20

    /// Sends a request whose body is read as lines while it arrives (a Kubernetes watch) and
    /// returns once the response head is in, retrying until then as `send` does. The request's
    /// own `timeout` applies, the client's `requestTimeout` does not; the low-speed limit does.
    public func stream(_ request: HTTPRequest) async throws(HTTPError) -> HTTPStream {
        let target = try RequestTarget(request, serverName: configuration.tls.serverName)
        return try await retrying(request, target: target, head: { ($0.status, $0.headers) }, discard: { $0.cancel() }) {
            await open(request, target: target)
        }
    }

    /// One attempt of `stream`: waits for the head.
    private func open(_ request: HTTPRequest, target: RequestTarget) async -> Result<HTTPStream, TransferFailure> {
        let channel = LineChannel(highWater: Self.streamHighWater)
        var opened: CurlTransfer?
        let head = await attempt(request, target: target, purpose: .stream) { transfer, continuation in
            opened = transfer
            return StreamSink(target: target, channel: channel, maxLineLength: configuration.maxLineLength,
                              headContinuation: continuation)
        }
        return head.map { head in
            let source = LineSource(channel: channel, transfer: opened!, client: self)
            return HTTPStream(status: head.status, headers: head.headers, lines: HTTPLines(source: source))
        }
    }
}
