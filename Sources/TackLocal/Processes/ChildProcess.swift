import CSpawn
import Foundation

/// Starts programs with posix_spawn: each in a new session (so its whole group can be signalled
/// and it outlives `tack`), with default signal handling and an empty signal mask (Swift's
/// concurrency threads block some signals, and children would inherit that), stdin from
/// /dev/null, stdout and stderr appended to a log, and no file descriptor but 0–2 inherited.
public enum ChildProcess {
    /// Starts `spec` and returns at once with its handle.
    public static func spawn(_ spec: ProcessSpec) throws(LocalRuntimeError) -> ProcessHandle {
        try spawn(spec, stdoutPath: spec.logPath, stderrPath: spec.logPath)
    }

    /// Runs a short command to its end and returns what it printed. Throws `.commandFailed` with
    /// the tail of its output when it exits non-zero (unless `check` is false) and `.timedOut`
    /// after killing it when it runs longer than `timeout`.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = ChildProcess.minimalEnvironment,
        check: Bool = true, timeout: Duration = .seconds(30)
    ) async throws(LocalRuntimeError) -> CommandOutput {
        let spec = ProcessSpec(executable: executable, arguments: arguments, environment: environment)
        let stdoutPath = try temporaryFile("stdout")
        let stderrPath = try temporaryFile("stderr")
        defer {
            unlink(stdoutPath)
            unlink(stderrPath)
        }
        let handle = try spawn(spec, stdoutPath: stdoutPath, stderrPath: stderrPath)
        let deadline = ContinuousClock.now + timeout
        var pause = Duration.microseconds(200)
        var status: Int32
        while true {
            let state = handle.state()
            if case .exited(let code) = state { status = code; break }
            if case .signalled(let signal) = state { status = 128 + signal; break }
            if state == .gone { status = -1; break }
            if ContinuousClock.now >= deadline {
                await handle.terminate(grace: .seconds(1))
                throw .timedOut(what: "\(spec.commandLine) to finish", seconds: timeout.seconds)
            }
            try? await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(20))
        }
        let output = CommandOutput(
            status: status, stdout: (try? POSIXRead.string(atPath: stdoutPath)) ?? "",
            stderr: (try? POSIXRead.string(atPath: stderrPath)) ?? "")
        if check && status != 0 {
            let text = (output.stderr.isEmpty ? output.stdout : output.stderr)
            throw .commandFailed(
                command: spec.commandLine, status: status,
                output: String(text.trimmingCharacters(in: .whitespacesAndNewlines).suffix(2000)))
        }
        return output
    }

    /// PATH only: what short commands such as runc and nginx need.
    public static let minimalEnvironment = ["PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]

    private static func spawn(
        _ spec: ProcessSpec, stdoutPath: String?, stderrPath: String?
    ) throws(LocalRuntimeError) -> ProcessHandle {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        let output = O_WRONLY | O_CREAT | O_APPEND
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath ?? "/dev/null", output, 0o644)
        if let stderrPath, stderrPath != stdoutPath {
            posix_spawn_file_actions_addopen(&actions, 2, stderrPath, output, 0o644)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        tack_spawn_addclosefrom(&actions, 3)
        if let directory = spec.workingDirectory {
            tack_spawn_addchdir(&actions, directory)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF) | tack_spawn_setsid_flag)

        let argv = ([spec.executable] + spec.arguments).map { strdup($0) } + [nil]
        let envp = spec.environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, spec.executable, &actions, &attributes, argv, envp)
        guard result == 0 else { throw .spawnFailed(executable: spec.executable, errno: result) }
        // The child has exec'd or failed before posix_spawn returns (glibc uses CLONE_VFORK), so
        // its /proc entry names the program; it cannot have been reaped yet.
        let startTime = ProcStat(pid: pid)?.startTime ?? 0
        return ProcessHandle(pid: pid, startTime: startTime)
    }

    private static func temporaryFile(_ name: String) throws(LocalRuntimeError) -> String {
        let directory = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        var template = Array("\(directory)/tack-\(name)-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw .io(path: directory, errno: errno) }
        close(fd)
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// What a finished command printed and its exit status.
public struct CommandOutput: Sendable, Hashable {
    /// The exit status (128 + the signal when a signal ended it).
    public var status: Int32
    /// Everything it wrote to stdout.
    public var stdout: String
    /// Everything it wrote to stderr.
    public var stderr: String
}
