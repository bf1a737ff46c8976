import Foundation
import Testing

@testable import TackLocal

@Suite("ChildProcess")
struct ChildProcessTests {
    @Test("run returns the exit status and output, and a failure names the command")
    func runReportsOutput() async throws {
        let ok = try await ChildProcess.run("/bin/sh", ["-c", "echo out; echo err >&2"])
        #expect(ok.status == 0 && ok.stdout == "out\n" && ok.stderr == "err\n")
        await #expect(throws: LocalRuntimeError.commandFailed(command: "sh -c echo nope >&2; exit 3", status: 3, output: "nope")) {
            try await ChildProcess.run("/bin/sh", ["-c", "echo nope >&2; exit 3"])
        }
        await #expect(throws: LocalRuntimeError.spawnFailed(executable: "/nonexistent/program", errno: ENOENT)) {
            try await ChildProcess.run("/nonexistent/program", [])
        }
    }

    @Test("a command over its time limit is killed")
    func runTimesOut() async throws {
        let start = ContinuousClock.now
        await #expect(throws: LocalRuntimeError.self) {
            try await ChildProcess.run("/bin/sleep", ["30"], timeout: .milliseconds(200))
        }
        #expect(ContinuousClock.now - start < .seconds(20), "killed long before its 30 s")
    }

    @Test("a spawned process gets only the given environment, logs to its file, and its whole group is terminated")
    func spawnAndTerminate() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tack-child-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = directory + "/out.log"
        // The shell starts a grandchild; terminating the group must end both.
        let spec = ProcessSpec(
            executable: "/bin/sh", arguments: ["-c", "echo \"GREETING=$GREETING HOME=${HOME-unset}\"; pwd; sleep 60 & echo $! > child.pid; wait"],
            environment: ["GREETING": "hello"], workingDirectory: directory, logPath: log)
        let handle = try ChildProcess.spawn(spec)
        #expect(handle.isRunning)
        #expect(ProcessHandle.adopt(pid: handle.pid) == handle)
        var grandchild: Int32?
        for _ in 0..<200 where grandchild == nil {
            grandchild = (try? String(contentsOfFile: directory + "/child.pid", encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            try await Task.sleep(for: .milliseconds(10))
        }
        let sleeper = try #require(grandchild.flatMap(ProcessHandle.adopt(pid:)))
        #expect(await handle.terminate(grace: .seconds(5)))
        #expect(await sleeper.waitUntilGone(timeout: .seconds(5)))
        #expect(!handle.isRunning)
        let text = try String(contentsOfFile: log, encoding: .utf8)
        #expect(text.hasPrefix("GREETING=hello HOME=unset\n\(directory)\n"))
    }

    @Test("an exited child reports its status once, and a stale handle never matches a new process")
    func exitStatusAndStaleHandles() async throws {
        let handle = try ChildProcess.spawn(ProcessSpec(executable: "/bin/sh", arguments: ["-c", "exit 7"]))
        var state = handle.state()
        for _ in 0..<500 where state == .running {
            try await Task.sleep(for: .milliseconds(5))
            state = handle.state()
        }
        #expect(state == .exited(7))
        #expect(handle.state() == .gone)
        let stale = ProcessHandle(pid: getpid(), startTime: 1)
        #expect(!stale.isRunning)
    }
}
