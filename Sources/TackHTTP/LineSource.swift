/// The consuming end of a stream. It keeps the client (and so its driver thread) alive while the
/// stream is in use, and aborts the transfer when the consumer is cancelled or lets go of it.
final class LineSource: Sendable {
    private let channel: LineChannel
    private let transfer: CurlTransfer
    private let client: CurlHTTPClient

    init(channel: LineChannel, transfer: CurlTransfer, client: CurlHTTPClient) {
        self.channel = channel
        self.transfer = transfer
        self.client = client
    }

    deinit {
        cancel()
    }

    /// The next line; cancelling the calling task aborts the stream.
    func next() async throws(HTTPError) -> String? {
        let delivery = await withTaskCancellationHandler {
            await channel.next()
        } onCancel: {
            cancel()
        }
        if delivery.resumesProducer { client.driver.resume(transfer) }
        return try delivery.result.get()
    }

    /// Aborts the transfer; lines not yet read are dropped and the lines end with `.cancelled`.
    func cancel() {
        channel.cancel(transfer.target.error(.cancelled, "the stream was cancelled"))
        client.driver.cancel(transfer)
    }
}
