#if canImport(Glibc)
import Glibc
#endif

/// A started process, known by its pid and its kernel start time, so that a reused pid is never
/// taken for it. It is Codable, so the runtime's state file can record it and a later `tack`
/// process can adopt it.
public struct ProcessHandle: Sendable, Hashable, Codable {
    /// The process id; also its process group and session id, since processes start in a new session.
    public let pid: Int32
    /// The start time in clock ticks after boot (field 22 of /proc/PID/stat).
    public let startTime: UInt64

    /// What is known of a process's life.
    public enum State: Sendable, Hashable {
        /// It runs (or sleeps, or is stopped).
        case running
        /// It exited with this status; known only for a child of this process.
        case exited(Int32)
        /// A signal killed it; known only for a child of this process.
        case signalled(Int32)
        /// It is gone, and it was not this process's child, so its status is unknown.
        case gone
    }

    /// Creates a handle from recorded values.
    public init(pid: Int32, startTime: UInt64) {
        self.pid = pid
        self.startTime = startTime
    }

    /// The handle of the running process `pid`, or nil when there is none.
    public static func adopt(pid: Int32) -> ProcessHandle? {
        guard let stat = ProcStat(pid: pid), stat.state != "Z" else { return nil }
        return ProcessHandle(pid: pid, startTime: stat.startTime)
    }

    /// Whether the process still runs; reaps it when it is an exited child of this process.
    public var isRunning: Bool { state() == .running }

    /// The process's state now. An exited child is reaped, so its status is reported once;
    /// later calls answer `.gone`.
    public func state() -> State {
        // An unreaped child keeps its /proc entry, zombie or not, so checking the start time first
        // means a pid reused after a reap is never waited on (or taken for this process).
        guard let stat = ProcStat(pid: pid), stat.startTime == startTime else { return .gone }
        var status: Int32 = 0
        let reaped = waitpid(pid, &status, WNOHANG)
        if reaped == pid {
            let signal = status & 0x7f
            return signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
        }
        // Our child, not reapable yet: it runs, or its leader is a zombie while its other threads
        // exit (/proc shows "Z" then, for Go programs such as runc, for a while).
        if reaped == 0 { return .running }
        // Not our child: a zombie is another parent's to reap, and gone for us.
        return stat.state == "Z" ? .gone : .running
    }

    /// Sends `signal` to the process's whole process group (falling back to the process alone).
    public func signal(_ signal: Int32) {
        guard isRunning else { return }
        if kill(-pid, signal) != 0 { _ = kill(pid, signal) }
    }

    /// Sends SIGTERM to the process group, waits up to `grace` for the process to end, then sends
    /// SIGKILL and waits for it to be gone. Returns whether it ended within the grace period.
    @discardableResult
    public func terminate(grace: Duration) async -> Bool {
        guard isRunning else { return true }
        signal(SIGTERM)
        if await waitUntilGone(timeout: grace) { return true }
        signal(SIGKILL)
        _ = await waitUntilGone(timeout: .seconds(5))
        return false
    }

    /// Polls until the process is gone or `timeout` passes; returns whether it is gone.
    public func waitUntilGone(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        var pause = Duration.milliseconds(1)
        while isRunning {
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(50))
        }
        return true
    }
}

/// The fields of /proc/PID/stat the runtime needs.
struct ProcStat {
    /// The one-letter state: R, S, D, Z, T, ...
    let state: Character
    /// Clock ticks after boot when the process started.
    let startTime: UInt64

    init?(pid: Int32) {
        guard let text = try? POSIXRead.string(atPath: "/proc/\(pid)/stat"),
            let close = text.lastIndex(of: ")")
        else { return nil }
        // After "pid (comm)": field 3 (state) is the first, field 22 (starttime) the twentieth.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let state = fields[0].first, let start = UInt64(fields[19]) else { return nil }
        self.state = state
        self.startTime = start
    }
}
