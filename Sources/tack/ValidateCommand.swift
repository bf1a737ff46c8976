import ArgumentParser
import Foundation
import TackPipeline

/// `tack validate FILE...`: checks pipelines and accounts files and reports every problem.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check pipeline and accounts files; print every problem as FILE:LINE:COLUMN: error: MESSAGE.",
        discussion: """
            Each pipeline is checked against an accounts file: --accounts FILE, else $TACK_ACCOUNTS, \
            else tack.yaml in the current directory, else tack.yaml beside the pipeline. Accounts files \
            among the FILEs are checked as such. Exits 0 when every file is valid, 1 otherwise.
            """
    )

    @Argument(help: "Pipeline or accounts files (YAML or JSON).")
    var files: [String]

    @Option(name: .long, help: "The accounts file to check pipelines against.")
    var accounts: String?

    @Option(name: [.customShort("o"), .long], help: "Output format: text or json.")
    var output: OutputFormat = .text

    func run() throws {
        var validator = Validator(explicitAccounts: accounts, environment: ProcessInfo.processInfo.environment)
        let report = validator.validate(paths: files)
        switch output {
        case .json:
            Console.out(try Console.json(report))
        case .text:
            Console.out(Self.successLines(report))
            Console.err(Diagnostics.text(report.files))
        }
        if !report.valid { throw ExitCode(1) }
    }

    private static func successLines(_ report: ValidationReport) -> String {
        report.files.filter(\.valid).map { file in
            switch file.kind {
            case .pipeline: "\(file.file): valid pipeline for \(file.application ?? "?") (accounts from \(file.accountsFile ?? "?"))\n"
            default: "\(file.file): valid accounts file\n"
            }
        }.joined()
    }
}

/// The compiler-style text of diagnostics, with a closing count when there are errors.
enum Diagnostics {
    static func text(_ files: [FileReport]) -> String {
        var text = ""
        for file in files {
            for diagnostic in file.diagnostics {
                text += diagnostic.formatted(file: file.file) + "\n"
            }
        }
        let all = files.flatMap(\.diagnostics)
        let errors = all.filter { $0.severity == .error }.count
        let warnings = all.count - errors
        if errors > 0 {
            let invalid = files.filter { !$0.valid }.count
            text += "\(count(errors, "error"))\(warnings > 0 ? " and \(count(warnings, "warning"))" : "") in \(count(invalid, "file"))\n"
        }
        return text
    }

    private static func count(_ n: Int, _ noun: String) -> String {
        "\(n) \(noun)\(n == 1 ? "" : "s")"
    }
}
