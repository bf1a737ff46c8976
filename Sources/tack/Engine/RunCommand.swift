import ArgumentParser
import Foundation
import TackEngine
import TackLocal
import TackPipeline

/// `tack run -f FILE`: applies a pipeline and drives its rollout in this process until it ends.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Apply a pipeline and drive its rollout in this process, printing its events, until it ends.",
        discussion: """
            Stores the pipeline as a new revision (the same files applied again change nothing) and \
            reconciles every active execution until the pipeline's execution ends, supervising the \
            local runtime meanwhile when an account is kind: local (it is started if it is not up). Killing the \
            process at any point is safe: running the command again resumes from the stored state. \
            Exit codes: 0 succeeded; 1 invalid input or an error; 2 rolled back or failed; 3 paused \
            (it stays paused in the store), aborted or superseded.
            """
    )

    @Option(name: [.customShort("f"), .customLong("file")], help: "The pipeline file.")
    var file: String

    @Option(name: .long, help: "The accounts file (default: $TACK_ACCOUNTS, else tack.yaml beside the pipeline).")
    var accounts: String?

    @OptionGroup var runtime: RuntimeOptions

    func run() async throws {
        let files = try PipelineFiles.load(file, accounts: accounts)
        let execution: Execution
        do {
            let local = try runtime.makeRuntime()
            let store = try EngineStore(path: local.home.path + "/engine.db")
            let engine = Engine(store: store, connector: AccountWiring(runtime: local, runsLocalRuntime: files.usesLocalRuntime))
            let outcome = try await engine.apply(
                pipelinePath: files.pipelinePath, pipelineText: files.pipelineText, accountsPath: files.accountsPath,
                accountsText: files.accountsText)
            Console.out("\(outcome.revision.app): revision \(outcome.revision.number), execution \(outcome.execution.id)"
                        + (outcome.created ? "" : " (already applied)") + "\n")
            // Only Kubernetes accounts and remote Prometheus: no local runtime to start.
            if files.usesLocalRuntime { try await local.up() }
            let supervising = Task { if files.usesLocalRuntime { await local.supervise() } }
            let reconciling = Task { await engine.run() }
            defer {
                reconciling.cancel()
                supervising.cancel()
            }
            execution = try await EventFollower(store: store).follow(outcome.execution.id) { Console.out($0 + "\n") }
        } catch let error as ExitCode {
            throw error
        } catch {
            Console.err("error: \(error)\n")
            throw ExitCode(1)
        }
        Console.out(EventFollower.verdict(execution) + "\n")
        throw ExitCode(EventFollower.exitCode(execution))
    }
}
