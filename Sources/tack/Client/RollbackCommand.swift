import ArgumentParser
import TackServer

/// `tack rollback APP`: applies an application's previous revision again as a new revision.
struct RollbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Apply the previous revision's files again as a new revision, which rolls out like any other.",
        discussion: """
            The new revision supersedes a running execution. Exit codes: 0 applied; 1 an error (no such \
            application, no previous revision, no controller); 64 wrong command-line usage.
            """
    )

    @Argument(help: "The application.")
    var app: String

    @OptionGroup var controller: ControllerOptions

    func run() async throws {
        do {
            let client = try controller.makeClient()
            let result = try await client.post(ControllerClient.applicationPath(app, "/rollback"), as: ApplyResult.self).value
            Console.out(ApplyCommand.summary(result) + " (the previous revision's files)\n")
        } catch {
            throw ClientError.exit(error)
        }
    }
}
