import ArgumentParser
import TackEngine

/// `tack promote APP`: lets an application's execution go on past a pause or a judgment.
struct PromoteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promote",
        abstract: "Let an application's execution go on past a pause, a manual judgment or an analysis that paused it.",
        discussion: """
            The controller applies the judgment on its next pass; tack watch shows what follows. Exit codes: \
            0 accepted; 1 an error (no such application, an execution that has ended, no controller); 64 \
            wrong command-line usage.
            """
    )

    @Argument(help: "The application.")
    var app: String

    @OptionGroup var controller: ControllerOptions

    func run() async throws {
        do {
            let client = try controller.makeClient()
            let view = try await client.post(ControllerClient.applicationPath(app, "/promote"), as: ExecutionView.self).value
            Console.out("\(view.app): promote accepted for execution \(view.id) (revision \(view.revision), \(view.phase.rawValue))\n")
        } catch {
            throw ClientError.exit(error)
        }
    }
}
