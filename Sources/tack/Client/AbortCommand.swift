import ArgumentParser
import TackEngine

/// `tack abort APP`: stops an application's execution and rolls every account back.
struct AbortCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "abort",
        abstract: "Stop an application's execution and return every account to the version it ran before.",
        discussion: """
            The controller applies the judgment on its next pass; the execution ends aborted once every \
            account has rolled back (tack watch follows it). Exit codes: 0 accepted; 1 an error (no such \
            application, an execution that has ended, no controller); 64 wrong command-line usage.
            """
    )

    @Argument(help: "The application.")
    var app: String

    @OptionGroup var controller: ControllerOptions

    func run() async throws {
        do {
            let client = try controller.makeClient()
            let view = try await client.post(ControllerClient.applicationPath(app, "/abort"), as: ExecutionView.self).value
            Console.out("\(view.app): abort accepted for execution \(view.id) (revision \(view.revision), \(view.phase.rawValue))\n")
        } catch {
            throw ClientError.exit(error)
        }
    }
}
