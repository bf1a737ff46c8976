import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `tack watch` needs to know about, and do to, the terminal on stdout.
enum Terminal {
    /// Whether stdout is a terminal that understands cursor movement (`TERM` is not `dumb`).
    static func isInteractive(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        isatty(STDOUT_FILENO) == 1 && environment["TERM"] != "dumb"
    }

    /// The terminal's columns and rows; 80×24 when it does not say.
    static func size() -> (columns: Int, rows: Int) {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0 else { return (80, 24) }
        return (Int(size.ws_col), Int(size.ws_row))
    }

    /// The bytes that show the cursor again, written from the signal handler.
    private static let restoreBytes = Array((TerminalCanvas.showCursor + "\n").utf8)

    /// Shows the cursor again before SIGINT, SIGTERM or SIGHUP end the process (with 128 + the signal).
    static func restoreCursorOnSignals() {
        _ = restoreBytes.count
        for number in [SIGINT, SIGTERM, SIGHUP] {
            signal(number) { number in
                Terminal.restoreBytes.withUnsafeBufferPointer { _ = write(STDOUT_FILENO, $0.baseAddress, $0.count) }
                _exit(128 + number)
            }
        }
    }
}
