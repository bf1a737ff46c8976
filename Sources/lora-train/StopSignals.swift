import Foundation
import Synchronization

/// SIGINT and SIGTERM ask a training run to checkpoint and stop instead of killing it.
enum StopSignals {
    private static let signal = Atomic<Int32>(0)

    /// The signal received, or 0.
    static var received: Int32 { signal.load(ordering: .relaxed) }

    /// Routes SIGINT and SIGTERM to `received`; a second one ends the process at once.
    static func install() {
        for number in [SIGINT, SIGTERM] {
            Foundation.signal(number) { number in
                if StopSignals.signal.exchange(number, ordering: .relaxed) != 0 { _exit(128 + number) }
            }
        }
    }
}
