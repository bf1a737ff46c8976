import TackPipeline

extension ApplyRequest {
    /// The errors in the two files, each as `file:line:column: message` (`file: message` when it
    /// concerns a whole file), accounts file first, as `tack validate` finds them.
    func problems() -> [String] {
        let accountsFile = TackFile.parse(Array(accounts.utf8), path: accountsPath)
        let (decoded, accountProblems) = accountsFile.decodeAccounts()
        let pipelineFile = TackFile.parse(Array(pipeline.utf8), path: pipelinePath)
        let (_, pipelineProblems) = pipelineFile.decodePipeline(accounts: decoded, accountsPath: accountsPath)
        let found = accountProblems.map { ($0, accountsPath) } + pipelineProblems.map { ($0, pipelinePath) }
        return found.filter { $0.0.severity == .error }.map { problem, file in
            problem.line > 0 ? "\(file):\(problem.line):\(problem.column): \(problem.message)" : "\(file): \(problem.message)"
        }
    }
}
