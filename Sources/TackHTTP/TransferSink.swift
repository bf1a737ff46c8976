/// Where a transfer delivers what it receives. Called on the driver thread only.
protocol TransferSink: AnyObject {
    /// The final response head arrived.
    func receive(head: ResponseHead)
    /// Body bytes arrived; the answer says whether they were taken.
    func receive(body: UnsafeRawBufferPointer) -> BodyDisposition
    /// The transfer ended, with a failure or not; called once, last.
    func finish(_ failure: TransferFailure?)
}

/// What a sink did with body bytes.
enum BodyDisposition {
    case consumed
    /// Not taken: pause the transfer; curl hands the same bytes again when it is resumed.
    case pause
    /// Not taken: abort the transfer with this error.
    case fail(HTTPError)
}

/// A failed attempt, and whether trying again is safe for an idempotent request because the
/// request may never have been processed (no connection, or the connection dropped).
struct TransferFailure: Error {
    var error: HTTPError
    var isRetryable: Bool
}
