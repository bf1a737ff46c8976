import ArgumentParser
import Foundation
import TackPipeline

/// A pipeline file and its accounts file, checked and read as they are applied.
struct PipelineFiles {
    let pipelinePath: String
    let pipelineText: String
    let accountsPath: String
    let accountsText: String
    /// Whether an account or metrics account of the accounts file is `kind: local`, so the local
    /// runtime must run.
    let usesLocalRuntime: Bool

    /// Validates the pipeline with its accounts file (found as `tack validate` finds it) and reads
    /// both; on a problem prints every diagnostic as FILE:LINE:COLUMN and exits 1.
    static func load(_ file: String, accounts: String?) throws -> PipelineFiles {
        var validator = Validator(explicitAccounts: accounts, environment: ProcessInfo.processInfo.environment)
        let (pipeline, accountsFile, reports) = validator.load(pipeline: file)
        guard pipeline != nil, let accountsPath = reports.first?.accountsFile else {
            for report in reports { Console.err(report.diagnostics.map { $0.formatted(file: report.file) + "\n" }.joined()) }
            throw ExitCode(1)
        }
        do {
            return PipelineFiles(
                pipelinePath: file, pipelineText: try String(contentsOfFile: file, encoding: .utf8),
                accountsPath: accountsPath, accountsText: try String(contentsOfFile: accountsPath, encoding: .utf8),
                usesLocalRuntime: accountsFile.map(Self.usesLocalRuntime) ?? true)
        } catch {
            Console.err("error: cannot read \(file) or \(accountsPath): \(error.localizedDescription)\n")
            throw ExitCode(1)
        }
    }

    /// Whether `accounts` names a local account or the embedded Prometheus.
    static func usesLocalRuntime(_ accounts: AccountsFile) -> Bool {
        accounts.accounts.contains { $0.kind == .local } || accounts.metricsAccounts.contains { $0.source == .local }
    }
}
