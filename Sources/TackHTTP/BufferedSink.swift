/// Collects a whole response for `send`, then resumes the waiting task once.
final class BufferedSink: TransferSink {
    private let target: RequestTarget
    private var continuation: CheckedContinuation<Result<HTTPResponse, TransferFailure>, Never>?
    private var head: ResponseHead?
    private var body: [UInt8] = []

    init(target: RequestTarget, continuation: CheckedContinuation<Result<HTTPResponse, TransferFailure>, Never>) {
        self.target = target
        self.continuation = continuation
    }

    func receive(head: ResponseHead) {
        self.head = head
    }

    func receive(body bytes: UnsafeRawBufferPointer) -> BodyDisposition {
        body.append(contentsOf: bytes)
        return .consumed
    }

    func finish(_ failure: TransferFailure?) {
        guard let continuation else { return }
        self.continuation = nil
        if let failure {
            continuation.resume(returning: .failure(failure))
        } else if let head {
            continuation.resume(returning: .success(HTTPResponse(status: head.status, headers: head.headers, body: body)))
        } else {
            let error = target.error(.transfer, "the server sent no HTTP response head")
            continuation.resume(returning: .failure(TransferFailure(error: error, isRetryable: false)))
        }
    }
}
