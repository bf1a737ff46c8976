import ArgumentParser
import Foundation
import TackEngine

/// `tack watch APP`: follows an application's rollout until it ends or pauses.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Follow an application's latest execution until it ends or pauses.",
        discussion: """
            On a terminal, a view is redrawn in place: the execution's phase and stage, and per account \
            its step, traffic weight, replicas per track, each metric against its limit with recent \
            values, and the latest events. Elsewhere (a pipe, a file, TERM=dumb) it prints one line per \
            event and per change of an account's phase, step or weight. Both end with a line giving the \
            verdict. Exit codes: 0 succeeded; 1 an error (no such application, no controller); 2 rolled \
            back or failed; 3 paused, aborted or superseded; 64 wrong command-line usage.
            """
    )

    @Argument(help: "The application.")
    var app: String

    @OptionGroup var controller: ControllerOptions

    func run() async throws {
        do {
            try await Self.follow(app, client: try controller.makeClient())
        } catch {
            throw ClientError.exit(error)
        }
    }

    /// Watches `app` on the display that suits stdout, prints the verdict, and throws its exit code.
    static func follow(_ app: String, client: ControllerClient) async throws {
        let session = WatchSession(client: client, app: app)
        let view: ExecutionView
        if Terminal.isInteractive() {
            var display = TerminalWatchDisplay()
            view = try await session.run(on: &display)
        } else {
            var display = LineWatchDisplay()
            view = try await session.run(on: &display)
        }
        Console.out(WatchVerdict.line(view) + "\n")
        let code = WatchVerdict.exitCode(view.phase)
        if code != 0 { throw ExitCode(code) }
    }
}
