/// Hands a streaming response to `stream`: the head to the waiting task, then the body as lines
/// through a `LineChannel`, pausing the transfer while the consumer lags.
final class StreamSink: TransferSink {
    private let target: RequestTarget
    private var headContinuation: CheckedContinuation<Result<ResponseHead, TransferFailure>, Never>?
    private let channel: LineChannel
    private var splitter: LineSplitter

    init(
        target: RequestTarget, channel: LineChannel, maxLineLength: Int,
        headContinuation: CheckedContinuation<Result<ResponseHead, TransferFailure>, Never>
    ) {
        self.target = target
        self.channel = channel
        self.splitter = LineSplitter(maxLineLength: maxLineLength)
        self.headContinuation = headContinuation
    }

    func receive(head: ResponseHead) {
        headContinuation?.resume(returning: .success(head))
        headContinuation = nil
    }

    func receive(body bytes: UnsafeRawBufferPointer) -> BodyDisposition {
        if channel.shouldPause() { return .pause }
        var lines: [String] = []
        do {
            try splitter.split(bytes, into: &lines)
        } catch {
            return .fail(target.error(.transfer, "the stream sent a line longer than \(splitter.maxLineLength) bytes"))
        }
        channel.push(lines)
        return .consumed
    }

    func finish(_ failure: TransferFailure?) {
        if let headContinuation {
            self.headContinuation = nil
            let failure = failure ?? TransferFailure(
                error: target.error(.transfer, "the server sent no HTTP response head"), isRetryable: false)
            headContinuation.resume(returning: .failure(failure))
            channel.finish(failure.error)
            return
        }
        if failure == nil, let last = splitter.finish() { channel.push([last]) }
        channel.finish(failure?.error)
    }
}
