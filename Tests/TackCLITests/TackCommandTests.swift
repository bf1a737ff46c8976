import Foundation
import Testing

/// Runs the built `tack` binary from the repository root, as a user would.
struct TackRun {
    var status: Int32
    var stdout: String
    var stderr: String

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The `tack` beside the test bundle (both are build products of the same configuration).
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("tack")

    init(_ arguments: [String], environment: [String: String] = [:], directory: URL = TackRun.repository) throws {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.filter { $0.key != "TACK_ACCOUNTS" }
            .merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        status = process.terminationStatus
        stdout = String(decoding: outData, as: UTF8.self)
        stderr = String(decoding: errData, as: UTF8.self)
    }
}

@Suite("tack command line")
struct TackCommandTests {
    static let invalid = """
        application: demo
        pipeline:
          stages:
            - type: deploy
              clusters:
                - {account: nowhere, container: "Lora:v1", targetSize: 3, strategy: canary}

        """

    private func temporaryFile(_ text: String, name: String = "pipeline.yaml") throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tack-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test("tack validate accepts every example pipeline and its accounts file with exit code 0")
    func validateExamples() throws {
        let run = try TackRun(["validate", "pipelines/lora-training-platform.yaml", "pipelines/local-demo.yaml", "pipelines/tack.yaml"])
        #expect(run.status == 0)
        #expect(run.stderr == "")
        #expect(run.stdout.contains("pipelines/lora-training-platform.yaml: valid pipeline for lora-training-platform (accounts from pipelines/tack.yaml)"))
        #expect(run.stdout.contains("pipelines/tack.yaml: valid accounts file"))
    }

    @Test("an invalid pipeline exits 1 with every problem as FILE:LINE:COLUMN: error: MESSAGE")
    func validateInvalid() throws {
        let file = try temporaryFile(Self.invalid)
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let run = try TackRun(["validate", "--accounts", "pipelines/tack.yaml", file.path])
        #expect(run.status == 1)
        #expect(run.stdout == "")
        #expect(run.stderr == """
            \(file.path):6:21: error: account "nowhere" is not in the accounts file pipelines/tack.yaml; known: aws-eu-central-1, gcp-us-west1
            \(file.path):6:42: error: invalid image reference "Lora:v1": repository name "Lora" must be lowercase
            2 errors in 1 file

            """)
    }

    @Test("-o json reports the same problems as data, still exiting 1")
    func validateJSON() throws {
        let file = try temporaryFile(Self.invalid)
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let run = try TackRun(["validate", "--accounts", "pipelines/tack.yaml", "-o", "json", file.path])
        #expect(run.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["valid"] as? Bool == false)
        let files = try #require(object["files"] as? [[String: Any]])
        let diagnostics = try #require(files.first?["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.map { $0["line"] as? Int } == [6, 6])
        #expect(diagnostics.map { $0["column"] as? Int } == [21, 42])
        #expect(diagnostics.map { $0["severity"] as? String } == ["error", "error"])
    }

    @Test("the accounts file is found through TACK_ACCOUNTS, and its absence is an error that says where to put one")
    func accountsLookup() throws {
        let file = try temporaryFile(try String(contentsOf: TackRun.repository.appendingPathComponent("pipelines/lora-training-platform.yaml"),
                                                encoding: .utf8))
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let found = try TackRun(["validate", file.path],
                                environment: ["TACK_ACCOUNTS": TackRun.repository.appendingPathComponent("pipelines/tack.yaml").path])
        #expect(found.status == 0)
        let missing = try TackRun(["validate", file.path], directory: file.deletingLastPathComponent())
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("\(file.path): error: no accounts file found: pass --accounts FILE, set TACK_ACCOUNTS"))
    }

    @Test("an invalid accounts file found beside the pipeline shows its own problems, and the pipeline fails")
    func invalidImplicitAccounts() throws {
        let accounts = try temporaryFile("accounts:\n  - {name: aws-eu-central-1, kind: locl}\n", name: "tack.yaml")
        let directory = accounts.deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pipeline = directory.appendingPathComponent("pipeline.yaml")
        try FileManager.default.copyItem(at: TackRun.repository.appendingPathComponent("pipelines/lora-training-platform.yaml"), to: pipeline)
        let run = try TackRun(["validate", "pipeline.yaml"], directory: directory)
        #expect(run.status == 1)
        #expect(run.stderr == """
            pipeline.yaml: error: the accounts file tack.yaml is invalid, so account references were not checked
            tack.yaml:2:36: error: kind must be one of local, kubernetes; got "locl" (did you mean "local"?)
            2 errors in 2 files

            """)
    }

    @Test("an inline secret is refused without the secret appearing anywhere in the output")
    func secretsStayOut() throws {
        let secret = "s3cr3t-token-7f2a9c"
        let accounts = try temporaryFile("metricsAccounts:\n  - name: prom\n    url: http://127.0.0.1:9090\n    bearerToken: \(secret)\n",
                                         name: "tack.yaml")
        defer { try? FileManager.default.removeItem(at: accounts.deletingLastPathComponent()) }
        for format in ["text", "json"] {
            let run = try TackRun(["validate", "-o", format, accounts.path])
            #expect(run.status == 1)
            #expect(!(run.stdout + run.stderr).contains(secret))
            #expect((run.stdout + run.stderr).contains("bearerTokenFile"))
        }
    }

    @Test("tack plan prints the plan, and -o json prints it as JSON")
    func plan() throws {
        let text = try TackRun(["plan", "pipelines/lora-training-platform.yaml"])
        #expect(text.status == 0)
        #expect(text.stdout.hasPrefix("Plan for lora-training-platform (pipelines/lora-training-platform.yaml, accounts from pipelines/tack.yaml)"))
        let json = try TackRun(["plan", "-o", "json", "pipelines/lora-training-platform.yaml"])
        #expect(json.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["application"] as? String == "lora-training-platform")
    }

    @Test("tack plan on an invalid pipeline prints its problems and exits 1 without a plan")
    func planInvalid() throws {
        let file = try temporaryFile(Self.invalid)
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let run = try TackRun(["plan", "--accounts", "pipelines/tack.yaml", file.path])
        #expect(run.status == 1)
        #expect(run.stdout == "")
        #expect(run.stderr.contains(":6:21: error: account \"nowhere\""))
    }

    @Test("wrong usage exits 64")
    func usage() throws {
        #expect(try TackRun(["validate"]).status == 64)
        #expect(try TackRun(["plan", "-o", "xml", "pipelines/local-demo.yaml"]).status == 64)
    }
}
