import ArgumentParser

/// The `tack` command line.
@main
struct Tack: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Roll a new version out across clusters in several clouds, with canary and blue-green strategies and automatic rollback.",
        discussion: """
            Exit codes: 0 success; 1 invalid input (every problem is printed as FILE:LINE:COLUMN: error: MESSAGE); \
            64 wrong command-line usage.
            """,
        subcommands: [
            ValidateCommand.self, PlanCommand.self, UpCommand.self, StatusCommand.self, DownCommand.self,
            ImageCommand.self, SuperviseCommand.self, RunCommand.self, ControllerCommand.self,
            ApplyCommand.self, GetCommand.self, WatchCommand.self, PromoteCommand.self, AbortCommand.self, RollbackCommand.self,
            HistoryCommand.self, DashboardCommand.self,
        ]
    )
}
