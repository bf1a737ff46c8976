import TackYAML

/// The outcome of validating files, as `tack validate` prints it (`-o json` encodes it as is).
public struct ValidationReport: Sendable, Codable {
    /// Whether every file is free of errors.
    public var valid: Bool
    /// One entry per file, in the order given.
    public var files: [FileReport]

    /// A report.
    public init(valid: Bool, files: [FileReport]) {
        self.valid = valid
        self.files = files
    }
}

/// The outcome for one file.
public struct FileReport: Sendable, Codable {
    /// The path as given.
    public var file: String
    /// What the file holds, when recognised.
    public var kind: TackFile.Kind?
    /// Whether it has no errors.
    public var valid: Bool
    /// The application, for a valid pipeline.
    public var application: String?
    /// The accounts file a pipeline was checked against.
    public var accountsFile: String?
    /// Errors and warnings, sorted by position.
    public var diagnostics: [Diagnostic]
}

/// Validates pipelines and accounts files, each pipeline against its accounts file.
public struct Validator {
    /// `--accounts`, when given.
    public var explicitAccounts: String?
    /// The process environment (for `TACK_ACCOUNTS`).
    public var environment: [String: String]

    private var accountsCache: [String: (AccountsFile?, [Diagnostic])] = [:]

    /// A validator.
    public init(explicitAccounts: String?, environment: [String: String]) {
        self.explicitAccounts = explicitAccounts
        self.environment = environment
    }

    /// Validates every file; every problem of every file is in the report.
    public mutating func validate(paths: [String]) -> ValidationReport {
        var files = paths.map { report(for: TackFile.load(path: $0)) }
        // An invalid accounts file found by the lookup rule shows its own problems too.
        let implicit = Set(files.compactMap(\.accountsFile)).subtracting(paths).sorted()
        for path in implicit {
            guard let (accounts, diagnostics) = accountsCache[path], accounts == nil else { continue }
            files.append(FileReport(file: path, kind: .accounts, valid: false, diagnostics: diagnostics))
        }
        return ValidationReport(valid: files.allSatisfy(\.valid), files: files)
    }

    /// Loads and decodes one pipeline with its accounts file, for commands that use the result.
    public mutating func load(pipeline path: String) -> (pipeline: Pipeline?, accounts: AccountsFile?, reports: [FileReport]) {
        let file = TackFile.load(path: path)
        guard file.kind == .pipeline else {
            var report = report(for: file)
            if file.kind == .accounts {
                report.valid = false
                report.diagnostics.append(Diagnostic(.error, "this is an accounts file; give a pipeline file", at: Mark(line: 0, column: 0)))
            }
            return (nil, nil, [report])
        }
        let (accountsPath, accounts, accountsReport) = accountsFor(path)
        let (pipeline, diagnostics) = decode(file, accountsPath: accountsPath, accounts: accounts)
        let report = FileReport(file: path, kind: .pipeline, valid: pipeline != nil, application: pipeline?.application,
                                accountsFile: accountsPath, diagnostics: diagnostics)
        return (pipeline, accounts, [report] + (accountsReport.map { [$0] } ?? []))
    }

    private mutating func report(for file: TackFile) -> FileReport {
        switch file.kind {
        case .accounts:
            let (accounts, diagnostics) = decodedAccounts(file)
            return FileReport(file: file.path, kind: .accounts, valid: accounts != nil, diagnostics: diagnostics)
        case .pipeline:
            let (accountsPath, accounts, accountsReport) = accountsFor(file.path)
            var (pipeline, diagnostics) = decode(file, accountsPath: accountsPath, accounts: accounts)
            if let accountsReport, !accountsReport.valid {
                diagnostics.append(Diagnostic(.error, "the accounts file \(accountsReport.file) is invalid, so account references were not checked",
                                              at: Mark(line: 0, column: 0)))
                pipeline = nil
            }
            return FileReport(file: file.path, kind: .pipeline, valid: pipeline != nil, application: pipeline?.application,
                              accountsFile: accountsPath, diagnostics: diagnostics)
        case nil:
            return FileReport(file: file.path, kind: nil, valid: false, diagnostics: file.diagnostics)
        }
    }

    private func decode(_ file: TackFile, accountsPath: String?, accounts: AccountsFile?) -> (Pipeline?, [Diagnostic]) {
        var (pipeline, diagnostics) = file.decodePipeline(accounts: accounts, accountsPath: accountsPath ?? "")
        if accountsPath == nil {
            diagnostics.append(Diagnostic(.error, AccountsLocation.notFoundMessage, at: Mark(line: 0, column: 0)))
            pipeline = nil
        }
        return (pipeline, diagnostics)
    }

    /// The accounts file for a pipeline: its path, the decoded file, and a report when it is invalid.
    private mutating func accountsFor(_ pipelinePath: String) -> (String?, AccountsFile?, FileReport?) {
        guard let path = AccountsLocation.resolve(explicit: explicitAccounts, environment: environment, pipelinePath: pipelinePath)
        else { return (nil, nil, nil) }
        let file = TackFile.load(path: path)
        let (accounts, diagnostics) = decodedAccounts(file)
        let report = accounts == nil ? FileReport(file: path, kind: file.kind, valid: false, diagnostics: diagnostics) : nil
        return (path, accounts, report)
    }

    private mutating func decodedAccounts(_ file: TackFile) -> (AccountsFile?, [Diagnostic]) {
        if let cached = accountsCache[file.path] { return cached }
        let decoded = file.decodeAccounts()
        accountsCache[file.path] = decoded
        return decoded
    }
}
