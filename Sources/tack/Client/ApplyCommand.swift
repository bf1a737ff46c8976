import ArgumentParser
import Foundation
import TackPipeline
import TackServer

/// `tack apply -f FILE`: validates a pipeline here, then sends it to the controller as a revision.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Send a pipeline and its accounts file to the controller, which rolls it out as a new revision.",
        discussion: """
            The files are validated here first (every problem is printed as FILE:LINE:COLUMN: error: MESSAGE), \
            then their texts are sent to the controller (--controller URL, else $TACK_CONTROLLER, else \
            http://127.0.0.1:7420) with the token from $TACK_TOKEN, else HOME/controller.token. The same files \
            applied again change nothing. With --watch, the rollout is then followed as tack watch does. \
            Exit codes: 0 applied (with --watch: succeeded); 1 invalid input or an error; 2 rolled back or \
            failed (--watch); 3 paused, aborted or superseded (--watch); 64 wrong command-line usage.
            """
    )

    @Option(name: [.customShort("f"), .customLong("file")], help: "The pipeline file.")
    var file: String

    @Option(name: .long, help: "The accounts file (default: $TACK_ACCOUNTS, else tack.yaml beside the pipeline).")
    var accounts: String?

    @Flag(name: .long, help: "Follow the rollout until it ends or pauses, as tack watch does.")
    var watch = false

    @Option(name: [.customShort("o"), .long], help: "Output format of the result: text, json or yaml.")
    var output: DataFormat = .text

    @OptionGroup var controller: ControllerOptions

    func run() async throws {
        let files = try PipelineFiles.load(file, accounts: accounts)
        do {
            let request = ApplyRequest(
                pipelinePath: files.pipelinePath, pipeline: files.pipelineText, accountsPath: files.accountsPath,
                accounts: files.accountsText)
            let client = try controller.makeClient()
            let result = try await client.post("/v1/apply", body: request, as: ApplyResult.self).value
            try output.write(result) { Self.summary(result) + "\n" }
            if watch { try await WatchCommand.follow(result.app, client: client) }
        } catch {
            throw ClientError.exit(error)
        }
    }

    /// `svc: revision 3 applied, execution 7 (supersedes execution 6)`, or `… unchanged …`.
    static func summary(_ result: ApplyResult) -> String {
        let superseded = result.superseded.isEmpty ? ""
            : " (supersedes execution\(result.superseded.count == 1 ? "" : "s") \(result.superseded.map(String.init).joined(separator: ", ")))"
        return "\(result.app): revision \(result.revision) \(result.created ? "applied" : "unchanged"), execution \(result.execution.id)"
            + superseded
    }
}
