import ArgumentParser
import Foundation
import TackPipeline

/// `tack plan FILE`: shows what applying a pipeline will do in each account.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show, per account and in order, what applying a pipeline will do, with the PromQL of its conditions.",
        discussion: "The accounts file is found as for tack validate. Exits 1 when the pipeline is invalid, printing every problem."
    )

    @Argument(help: "The pipeline file.")
    var file: String

    @Option(name: .long, help: "The accounts file.")
    var accounts: String?

    @Option(name: [.customShort("o"), .long], help: "Output format: text or json.")
    var output: OutputFormat = .text

    func run() throws {
        var validator = Validator(explicitAccounts: accounts, environment: ProcessInfo.processInfo.environment)
        let loaded = validator.load(pipeline: file)
        guard let pipeline = loaded.pipeline, let accountsFile = loaded.accounts, let accountsPath = loaded.reports.first?.accountsFile else {
            if output == .json {
                Console.out(try Console.json(ValidationReport(valid: false, files: loaded.reports)))
            } else {
                Console.err(Diagnostics.text(loaded.reports))
            }
            throw ExitCode(1)
        }
        Console.err(Diagnostics.text(loaded.reports))
        let plan = PlanBuilder(pipeline: pipeline, accounts: accountsFile, accountsPath: accountsPath).build()
        switch output {
        case .json: Console.out(try Console.json(plan))
        case .text: Console.out(PlanRenderer.text(plan, pipelinePath: file))
        }
    }
}
