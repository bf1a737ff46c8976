import Foundation
import Synchronization

/// SIGINT and SIGTERM ask a training run to checkpoint and stop instead of killing it.
enum StopSignals {
    private static let signal = Atomic<Int32>(0)

    /// The signal received, or 0.
    static var received: Int32 { signal.load(ordering: .relaxed) }

    /// Routes SIGINT and SIGTERM to `received`; a second one ends the process at once.
    ///
    /// Both are unblocked first: a child inherits its parent's blocked signals (Swift Testing's
    /// threads and some supervisors block SIGTERM), and a blocked signal never reaches the handler.
    static func install() {
        var stops = sigset_t()
        sigemptyset(&stops)
        sigaddset(&stops, SIGINT)
        sigaddset(&stops, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &stops, nil)
        for number in [SIGINT, SIGTERM] {
            Foundation.signal(number) { number in
                if StopSignals.signal.exchange(number, ordering: .relaxed) != 0 { _exit(128 + number) }
            }
        }
    }
}
