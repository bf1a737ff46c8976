import ArgumentParser
import Foundation
import TackEngine

/// `tack history APP`: every execution of an application, newest first.
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List every execution of an application, newest first.",
        discussion: """
            A table of EXECUTION REVISION PHASE STARTED (UTC) DURATION REASON; the reason is the condition \
            that rolled it back, why it waits, or the last message. Exit codes: 0 success; 1 an error (no \
            such application, no controller); 64 wrong command-line usage.
            """
    )

    @Argument(help: "The application.")
    var app: String

    @Option(name: [.customShort("o"), .long], help: "Output format: text, json or yaml.")
    var output: DataFormat = .text

    @OptionGroup var controller: ControllerOptions

    func run() async throws {
        do {
            let client = try controller.makeClient()
            let views = try await client.get(ControllerClient.applicationPath(app, "/history"), as: [ExecutionView].self)
            try output.write(views) { Self.table(views, now: Date()) }
        } catch {
            throw ClientError.exit(error)
        }
    }

    /// The table of executions; running ones' durations count up to `now`.
    static func table(_ views: [ExecutionView], now: Date) -> String {
        let rows = views.map { view in
            let end = view.isTerminal ? view.updatedAt : now
            let reason = view.reason ?? ""
            return [String(view.id), String(view.revision), view.phase.rawValue, ElapsedText.timestamp(view.createdAt),
                    ElapsedText.format(end.timeIntervalSince(view.createdAt)), reason]
        }
        return StatusRenderer.table([["EXECUTION", "REVISION", "PHASE", "STARTED", "DURATION", "REASON"]] + rows)
    }
}
