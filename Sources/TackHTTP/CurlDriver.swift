import CCurl
import Foundation
import Synchronization

/// Owns one curl multi handle and the thread that drives it. Other threads hand it commands
/// through a mutex-guarded queue and wake it with `curl_multi_wakeup`; the thread adds and
/// removes easy handles, runs `curl_multi_perform` (which calls the transfers' callbacks) and
/// sleeps in `curl_multi_poll`. Connections live in the multi handle, so transfers reuse them.
///
/// `@unchecked Sendable`: `multi` and `active` are used only by the driver thread, except
/// `curl_multi_wakeup`, which curl allows from any thread and which is called under the queue's
/// mutex only until the stop command is queued, so never after `curl_multi_cleanup`. `exit`
/// guards `hasExited` and `thread`.
final class CurlDriver: @unchecked Sendable {
    private enum Command {
        case add(CurlTransfer)
        case cancel(CurlTransfer)
        case resume(CurlTransfer)
        case stop
    }

    private struct Queue: ~Copyable {
        var commands: [Command] = []
        /// A stop is queued; nothing more is accepted, and no more wakeups are sent.
        var isStopping = false
    }

    private let multi: UnsafeMutableRawPointer
    private let queue = Mutex(Queue())
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    private let exit = NSCondition()
    private var hasExited = false
    private var thread: Thread?

    /// A driver with its thread running.
    init(maxConnectionsPerHost: Int) throws(HTTPError) {
        func fail(_ message: String) -> HTTPError {
            HTTPError(.configuration, method: .get, host: "", path: "", message: message)
        }
        guard Self.globalInit == CURLE_OK else { throw fail("curl_global_init failed") }
        guard let multi = curl_multi_init() else { throw fail("curl could not make a multi handle") }
        self.multi = multi
        tack_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, maxConnectionsPerHost)
        tack_multi_setopt_long(multi, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
        let thread = Thread { [self] in run() }
        thread.name = "tack-http"
        exit.withLock { self.thread = thread }
        thread.start()
    }

    /// curl's process-wide setup, done once before the first multi handle (thread-safe since 7.84).
    private static let globalInit: CURLcode = tack_curl_global_init()

    /// Starts `transfer`; once it ends its sink is told. After shutdown the sink is told at once.
    func submit(_ transfer: CurlTransfer) {
        guard enqueue(.add(transfer)) else {
            transfer.finish(TransferFailure(error: transfer.target.error(.cancelled, "the HTTP client was shut down"), isRetryable: false))
            return
        }
    }

    /// Aborts `transfer` soon, from any thread; its sink gets `.cancelled` unless it ended already.
    func cancel(_ transfer: CurlTransfer) {
        transfer.requestCancel()
        enqueue(.cancel(transfer))
    }

    /// Resumes a transfer its sink paused.
    func resume(_ transfer: CurlTransfer) {
        enqueue(.resume(transfer))
    }

    /// Cancels every transfer, frees the multi handle and waits for the thread to end. Idempotent.
    func shutdown() {
        queue.withLock { queue in
            guard !queue.isStopping else { return }
            queue.isStopping = true
            queue.commands.append(.stop)
            curl_multi_wakeup(multi)
        }
        exit.withLock {
            guard Thread.current !== thread else { return }    // called by a callback: do not wait for ourselves
            while !hasExited { exit.wait() }
        }
    }

    @discardableResult
    private func enqueue(_ command: Command) -> Bool {
        queue.withLock { queue in
            guard !queue.isStopping else { return false }
            queue.commands.append(command)
            curl_multi_wakeup(multi)
            return true
        }
    }

    // MARK: The driver thread

    private func run() {
        var running: Int32 = 0
        var leftovers: [Command] = []
        loop: while true {
            let commands = queue.withLock { queue in
                defer { queue.commands.removeAll(keepingCapacity: true) }
                return queue.commands
            }
            for (index, command) in commands.enumerated() {
                switch command {
                case .add(let transfer): start(transfer)
                case .cancel(let transfer): stop(transfer, "the request was cancelled")
                case .resume(let transfer): if active[transfer.handle] != nil { tack_curl_easy_unpause(transfer.handle) }
                case .stop:
                    leftovers = Array(commands[(index + 1)...])
                    break loop
                }
            }
            curl_multi_perform(multi, &running)
            collectFinished()
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        close(leftovers: leftovers)
    }

    private func start(_ transfer: CurlTransfer) {
        if transfer.isCancelRequested {
            transfer.finish(TransferFailure(error: transfer.target.error(.cancelled, "the request was cancelled"), isRetryable: false))
            return
        }
        let code = curl_multi_add_handle(multi, transfer.handle)
        guard code == CURLM_OK else {
            let message = "curl could not start the transfer: \(String(cString: curl_multi_strerror(code)))"
            transfer.finish(TransferFailure(error: transfer.target.error(.transfer, message), isRetryable: false))
            return
        }
        active[transfer.handle] = transfer
    }

    private func stop(_ transfer: CurlTransfer, _ message: String) {
        guard active.removeValue(forKey: transfer.handle) != nil else { return }    // ended already
        curl_multi_remove_handle(multi, transfer.handle)
        transfer.finish(TransferFailure(error: transfer.target.error(.cancelled, message), isRetryable: false))
    }

    private func collectFinished() {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle else { continue }
            let code = message.pointee.data.result    // read before removing: the message dies with it
            guard let transfer = active.removeValue(forKey: handle) else { continue }
            curl_multi_remove_handle(multi, handle)
            transfer.complete(code)
        }
    }

    private func close(leftovers: [Command]) {
        let queued = queue.withLock { queue in
            defer { queue.commands.removeAll() }
            return queue.commands
        }
        for transfer in Array(active.values) { stop(transfer, "the HTTP client was shut down") }
        for case .add(let transfer) in leftovers + queued {
            transfer.finish(TransferFailure(error: transfer.target.error(.cancelled, "the HTTP client was shut down"), isRetryable: false))
        }
        curl_multi_cleanup(multi)
        exit.withLock {
            hasExited = true
            thread = nil    // the thread's block holds this driver
            exit.broadcast()
        }
    }
}
