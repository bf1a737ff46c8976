import CCurl
import Synchronization

/// One attempt of one request: a curl easy handle with its options, header lists and error
/// buffer, the parser of the response head, and the sink that gets the response.
///
/// `@unchecked Sendable`: the task that creates a transfer sets it up and hands it to
/// `CurlDriver.submit`, whose mutex orders that hand-over; from then on every member but
/// `isCancelRequested` (atomic) is used only on the driver thread, in its loop and in the curl
/// callbacks it runs. Other tasks only keep the reference to name the transfer in a command.
final class CurlTransfer: @unchecked Sendable {
    /// Whether curl keeps the whole body (`send`) or delivers lines as they come (`stream`).
    enum Purpose {
        case response
        case stream
    }

    let target: RequestTarget
    /// The easy handle (`CURL *`).
    let handle: UnsafeMutableRawPointer
    /// The sink; set by the creating task before submission.
    var sink: (any TransferSink)?
    private var lists: [UnsafeMutablePointer<curl_slist>] = []
    let errorBuffer: UnsafeMutablePointer<CChar>
    private let cancelRequested = Atomic<Bool>(false)
    private var parser = ResponseHeadParser()
    private var bodyFailure: HTTPError?
    private var isClosed = false

    /// A transfer of `request` with the client's options; nothing is sent until it is submitted.
    init(
        request: HTTPRequest, target: RequestTarget, configuration: HTTPClientConfiguration, purpose: Purpose
    ) throws(HTTPError) {
        guard let handle = curl_easy_init() else { throw target.error(.transfer, "curl could not make an easy handle") }
        self.target = target
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        try configure(request: request, configuration: configuration, purpose: purpose)
    }

    deinit {
        close()
        errorBuffer.deallocate()
    }

    /// Whether a cancel was asked for; set before the cancel command is queued, so the driver also
    /// sees a cancel that overtook the transfer's own submission.
    var isCancelRequested: Bool { cancelRequested.load(ordering: .acquiring) }

    /// Marks the transfer cancelled (any thread).
    func requestCancel() {
        cancelRequested.store(true, ordering: .releasing)
    }

    // MARK: Driver thread

    /// Ends the transfer with curl's result: tells the sink and frees the handle.
    func complete(_ code: CURLcode) {
        finish(code == CURLE_OK ? nil : failure(for: code))
    }

    /// Ends the transfer (already removed from the multi handle, or never added).
    func finish(_ failure: TransferFailure?) {
        guard !isClosed else { return }
        sink?.finish(failure)
        sink = nil
        close()
    }

    /// Takes one header line (curl calls with each, the status line and the blank one included).
    func receiveHeader(_ bytes: UnsafeRawBufferPointer) -> Int {
        if let head = parser.consume(bytes) { sink?.receive(head: head) }
        return bytes.count
    }

    /// Takes body bytes; answers as curl's write callback must.
    func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        switch sink?.receive(body: bytes) ?? .consumed {
        case .consumed:
            return bytes.count
        case .pause:
            return tack_curl_writefunc_pause()
        case .fail(let error):
            bodyFailure = error
            return 0
        }
    }

    /// Keeps a header list alive until the handle is freed.
    func retain(_ list: UnsafeMutablePointer<curl_slist>) {
        lists.append(list)
    }

    var errorMessage: String {
        String(cString: errorBuffer)
    }

    /// The error a callback chose, which curl reports as a write error.
    var callbackFailure: HTTPError? { bodyFailure }

    private func close() {
        guard !isClosed else { return }
        isClosed = true
        curl_easy_cleanup(handle)
        for list in lists { curl_slist_free_all(list) }
        lists.removeAll()
    }
}
