import Foundation
import Testing

/// The controller commands against a real `tack controller` on 127.0.0.1 with a fresh home: a
/// pipeline whose image is missing stays pending until it is aborted, and `tack watch` then
/// reports the abort with exit code 3. The controller and its local runtime are always stopped.
@Suite("tack watch against a controller", .serialized)
struct WatchEndToEndTests {
    /// A `tack controller --listen 127.0.0.1:0` in its own home, and the URL it reported.
    final class Controller {
        let home: URL
        let process = Process()
        private(set) var url = ""

        init() throws {
            home = FileManager.default.temporaryDirectory.appendingPathComponent("tack-e2e-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
            let output = home.appendingPathComponent("controller.out")
            _ = FileManager.default.createFile(atPath: output.path, contents: nil)
            process.executableURL = TackRun.binary
            process.arguments = ["controller", "--home", home.path, "--listen", "127.0.0.1:0"]
            process.currentDirectoryURL = TackRun.repository
            process.standardOutput = try FileHandle(forWritingTo: output)
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline, process.isRunning {
                let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
                if let range = text.range(of: #"http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression) {
                    url = String(text[range])
                    return
                }
                Thread.sleep(forTimeInterval: 0.1)
            }
        }

        /// Runs `tack ARGUMENTS` against this controller, with its token from its home.
        func tack(_ arguments: [String]) throws -> TackRun {
            try TackRun(arguments, environment: ["TACK_CONTROLLER": url, "TACK_HOME": home.path, "TACK_TOKEN": ""])
        }

        /// Stops the controller, then the local runtime it started, and removes the home.
        func stop() {
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
            }
            _ = try? TackRun(["down", "--home", home.path])
            try? FileManager.default.removeItem(at: home)
        }
    }

    @Test("apply, get, abort, watch, history and dashboard tell one execution's story, with the documented exit codes")
    func story() throws {
        let controller = try Controller()
        defer { controller.stop() }
        try #require(!controller.url.isEmpty, "the controller did not report its address")

        let empty = try controller.tack(["get"])
        #expect(empty.status == 0)
        #expect(empty.stdout == "no applications yet; tack apply -f FILE sends one\n")

        let missing = try controller.tack(["watch", "nosuch"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "error: no execution of nosuch exists; apply a pipeline first\n")

        let applied = try controller.tack(["apply", "-f", "pipelines/local-demo.yaml"])
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(applied.stdout == "lora-demo: revision 1 applied, execution 1\n")
        let again = try controller.tack(["apply", "-f", "pipelines/local-demo.yaml", "-o", "yaml"])
        #expect(again.stdout.contains("\ncreated: false\n"))

        let listed = try controller.tack(["get"])
        #expect(listed.stdout.hasPrefix("APP        REVISION  PHASE"))
        #expect(listed.stdout.contains("lora-demo  1 "))

        let aborted = try controller.tack(["abort", "lora-demo"])
        #expect(aborted.status == 0, "\(aborted.stderr)")
        #expect(aborted.stdout.hasPrefix("lora-demo: abort accepted for execution 1"))

        let watched = try controller.tack(["watch", "lora-demo"])
        #expect(watched.status == 3, "\(watched.stderr)")
        #expect(watched.stdout.hasPrefix("lora-demo revision 1, execution 1: "))
        #expect(watched.stdout.hasSuffix("lora-demo revision 1: aborted (aborted by a user)\n"))

        let history = try controller.tack(["history", "lora-demo", "-o", "json"])
        #expect(history.status == 0)
        #expect(history.stdout.contains("\"phase\" : \"aborted\""))

        let link = try controller.tack(["dashboard", "--print-url"])
        #expect(link.status == 0, "\(link.stderr)")
        #expect(link.stdout.wholeMatch(of: /http:\/\/127\.0\.0\.1:[0-9]+\/#login=[0-9a-f]{64}\n/) != nil, "\(link.stdout)")
        let printed = try TackRun(["dashboard"], environment: [
            "TACK_CONTROLLER": controller.url, "TACK_HOME": controller.home.path, "TACK_TOKEN": "", "BROWSER": "", "PATH": "/nonexistent",
        ])
        #expect(printed.status == 0 && printed.stdout.contains("/#login=") && printed.stdout != link.stdout)
        #expect(printed.stderr.hasPrefix("No browser to open"))

        let forbidden = try TackRun(["get"], environment: ["TACK_CONTROLLER": controller.url, "TACK_TOKEN": "not-the-token"])
        #expect(forbidden.status == 1)
        #expect(forbidden.stderr.hasPrefix("error: "))
        #expect(!forbidden.stderr.contains("not-the-token"))
        let refused = try TackRun(["dashboard", "--print-url"], environment: ["TACK_CONTROLLER": controller.url, "TACK_TOKEN": "not-the-token"])
        #expect(refused.status == 1 && refused.stdout.isEmpty)
    }
}
