import ArgumentParser
import Foundation
import TackEngine
import TackServer

/// `tack get [APP]`: the applications the controller knows, or one application's latest execution.
struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "List the controller's applications, or show one application's latest execution.",
        discussion: """
            Without APP: a table of every application (APP REVISION PHASE ACCOUNTS AGE). With APP: its \
            latest execution, per account its phase, step, traffic weight, replicas ready per track, \
            metrics and what it waits for. Exit codes: 0 success; 1 an error (no such application, no \
            controller); 64 wrong command-line usage.
            """
    )

    @Argument(help: "The application.")
    var app: String?

    @Option(name: [.customShort("o"), .long], help: "Output format: text, json or yaml.")
    var output: DataFormat = .text

    @OptionGroup var controller: ControllerOptions

    func run() async throws {
        do {
            let client = try controller.makeClient()
            if let app {
                let view = try await client.get(ControllerClient.applicationPath(app), as: ExecutionView.self)
                try output.write(view) { WatchRenderer.render(view: view, events: [], now: Date(), width: 0).joined(separator: "\n") + "\n" }
            } else {
                let summaries = try await client.get("/v1/applications", as: [ApplicationSummary].self)
                try output.write(summaries) { Self.table(summaries, now: Date()) }
            }
        } catch {
            throw ClientError.exit(error)
        }
    }

    /// The table of applications; a hint when there are none.
    static func table(_ summaries: [ApplicationSummary], now: Date) -> String {
        if summaries.isEmpty { return "no applications yet; tack apply -f FILE sends one\n" }
        let rows = summaries.map { summary in
            [summary.app, String(summary.revision), summary.phase.rawValue,
             summary.accounts.map { "\($0.account)=\($0.phase.rawValue)" }.joined(separator: ","),
             ElapsedText.age(now.timeIntervalSince(summary.updatedAt))]
        }
        return StatusRenderer.table([["APP", "REVISION", "PHASE", "ACCOUNTS", "AGE"]] + rows)
    }
}
