import TackCore
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

    /// Decoded accounts files by path, so each is read once however many pipelines use it.
    private var accountsCache: [String: (file: TackFile, accounts: AccountsFile?, diagnostics: [Diagnostic])] = [:]

    /// A validator.
    public init(explicitAccounts: String?, environment: [String: String]) {
        self.explicitAccounts = explicitAccounts
        self.environment = environment
    }

    /// Validates every file; every problem of every file is in the report.
    public mutating func validate(paths: [String]) -> ValidationReport {
        var files: [FileReport] = []
        var invalidAccounts: [FileReport] = []
        for path in paths {
            let file = TackFile.load(path: path)
            switch file.kind {
            case .pipeline:
                let checked = check(pipeline: file)
                files.append(checked.report)
                invalidAccounts += checked.accountsReport.map { [$0] } ?? []
            case .accounts:
                let (accounts, diagnostics) = decodedAccounts(file)
                files.append(FileReport(file: path, kind: .accounts, valid: accounts != nil, diagnostics: diagnostics))
            case nil:
                files.append(FileReport(file: path, kind: nil, valid: false, diagnostics: file.diagnostics))
            }
        }
        // An invalid accounts file found by the lookup rule shows its own problems too, once.
        for report in invalidAccounts where !files.contains(where: { $0.file == report.file }) {
            files.append(report)
        }
        return ValidationReport(valid: files.allSatisfy(\.valid), files: files)
    }

    /// Loads and checks one pipeline with its accounts file, for commands that use the result.
    public mutating func load(pipeline path: String) -> (pipeline: Pipeline?, accounts: AccountsFile?, reports: [FileReport]) {
        let file = TackFile.load(path: path)
        guard file.kind == .pipeline else {
            var diagnostics = file.diagnostics
            if file.kind == .accounts {
                diagnostics.append(Diagnostic(.error, "this is an accounts file; give a pipeline file", at: Mark(line: 0, column: 0)))
            }
            return (nil, nil, [FileReport(file: path, kind: file.kind, valid: false, diagnostics: diagnostics)])
        }
        let checked = check(pipeline: file)
        return (checked.pipeline, checked.accounts, [checked.report] + (checked.accountsReport.map { [$0] } ?? []))
    }

    /// A pipeline checked against its accounts file; `accountsReport` is set when that file is invalid.
    private mutating func check(pipeline file: TackFile)
        -> (pipeline: Pipeline?, accounts: AccountsFile?, report: FileReport, accountsReport: FileReport?) {
        let noPlace = Mark(line: 0, column: 0)
        let accountsPath = AccountsLocation.resolve(explicit: explicitAccounts, environment: environment, pipelinePath: file.path)
        var accounts: AccountsFile?
        var accountsReport: FileReport?
        if let accountsPath {
            let accountsFile = accountsCache[accountsPath]?.file ?? TackFile.load(path: accountsPath)
            let (decoded, diagnostics) = decodedAccounts(accountsFile)
            accounts = decoded
            if decoded == nil {
                accountsReport = FileReport(file: accountsPath, kind: accountsFile.kind, valid: false, diagnostics: diagnostics)
            }
        }
        var (pipeline, diagnostics) = file.decodePipeline(accounts: accounts, accountsPath: accountsPath ?? "")
        if accountsPath == nil {
            diagnostics.append(Diagnostic(.error, AccountsLocation.notFoundMessage, at: noPlace))
        } else if let accountsReport {
            diagnostics.append(Diagnostic(.error, "the accounts file \(accountsReport.file) is invalid, so account references were not checked",
                                          at: noPlace))
        }
        if accounts == nil { pipeline = nil }
        let report = FileReport(file: file.path, kind: .pipeline, valid: pipeline != nil, application: pipeline?.application,
                                accountsFile: accountsPath, diagnostics: diagnostics)
        return (pipeline, accounts, report, accountsReport)
    }

    private mutating func decodedAccounts(_ file: TackFile) -> (AccountsFile?, [Diagnostic]) {
        if let cached = accountsCache[file.path] { return (cached.accounts, cached.diagnostics) }
        let (accounts, diagnostics) = file.decodeAccounts()
        accountsCache[file.path] = (file, accounts, diagnostics)
        return (accounts, diagnostics)
    }
}
