import TackCore
import Foundation
import TackYAML

/// A YAML file Tack reads: a pipeline or an accounts file, parsed but not yet decoded.
public struct TackFile: Sendable {
    /// What a file holds, told by its top-level keys.
    public enum Kind: String, Sendable, Codable {
        case pipeline, accounts
    }

    /// The path as given.
    public let path: String
    /// What it holds; nil when it could not be read or recognised.
    public let kind: Kind?
    /// Problems found reading and parsing it.
    public let diagnostics: [Diagnostic]
    let root: YAMLNode?

    /// Reads and parses the file at `path` (`-` reads standard input); never throws, problems
    /// become diagnostics. At most `limits.maxBytes` are read, whatever the file claims its size is.
    public static func load(path: String, limits: YAMLLimits = .default) -> TackFile {
        let noPlace = Mark(line: 0, column: 0)
        let handle: FileHandle
        if path == "-" {
            handle = .standardInput
        } else {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                return TackFile(path: path, problem: "no such file", at: noPlace)
            }
            guard !isDirectory.boolValue else {
                return TackFile(path: path, problem: "is a directory, not a YAML file", at: noPlace)
            }
            guard let opened = FileHandle(forReadingAtPath: path) else {
                return TackFile(path: path, problem: "cannot be read (permission denied?)", at: noPlace)
            }
            handle = opened
        }
        defer { if path != "-" { try? handle.close() } }
        let data: Data
        do {
            data = try handle.read(upToCount: limits.maxBytes + 1) ?? Data()
        } catch {
            return TackFile(path: path, problem: "cannot be read: \(error.localizedDescription)", at: noPlace)
        }
        guard data.count <= limits.maxBytes else {
            return TackFile(path: path, problem: "the file is larger than \(limits.maxBytes) bytes, the most accepted", at: .start)
        }
        return parse([UInt8](data), path: path, limits: limits)
    }

    /// Parses YAML bytes that came from `path`.
    public static func parse(_ bytes: [UInt8], path: String, limits: YAMLLimits = .default) -> TackFile {
        let document: YAMLDocument
        do {
            document = try YAMLParser.parse(bytes, limits: limits)
        } catch {
            return TackFile(path: path, problem: error.message, at: error.mark)
        }
        let parseLog = DiagnosticLog()
        document.problems.forEach { parseLog.error($0.message, at: $0.mark) }
        let problems = parseLog.diagnostics
        guard let root = document.root, root.scalar?.isNull != true else {
            return TackFile(path: path, problem: "the file is empty; expected a pipeline or an accounts file", at: .start)
        }
        let keys = root.mapping?.compactMap { $0.key.scalar?.value } ?? []
        let kind: Kind? = keys.contains { ["application", "pipeline"].contains($0) } ? .pipeline
            : keys.contains { AccountsDecoder.topKeys.contains($0) } ? .accounts : nil
        guard let kind else {
            let problem = "this is neither a pipeline (with application and pipeline) nor an accounts file (with accounts and metricsAccounts)"
            return TackFile(path: path, kind: nil, diagnostics: problems + [Diagnostic(.error, problem, at: root.mark)], root: root)
        }
        return TackFile(path: path, kind: kind, diagnostics: problems, root: root)
    }

    private init(path: String, kind: Kind?, diagnostics: [Diagnostic], root: YAMLNode?) {
        self.path = path
        self.kind = kind
        self.diagnostics = diagnostics
        self.root = root
    }

    private init(path: String, problem: String, at mark: Mark) {
        self.init(path: path, kind: nil, diagnostics: [Diagnostic(.error, problem, at: mark)], root: nil)
    }

    /// Decodes an accounts file; the diagnostics include the parse problems.
    public func decodeAccounts() -> (AccountsFile?, [Diagnostic]) {
        guard kind == .accounts, let root else {
            return (nil, diagnostics + (kind == .pipeline ? [Diagnostic(.error, "this is a pipeline, not an accounts file", at: .start)] : []))
        }
        let log = seededLog()
        let accounts = AccountsDecoder(reader: YAMLReader(log: log)).decode(root)
        return finish(accounts, log)
    }

    /// Decodes a pipeline, checking references against `accounts` when given; the diagnostics
    /// include the parse problems.
    public func decodePipeline(accounts: AccountsFile?, accountsPath: String) -> (Pipeline?, [Diagnostic]) {
        guard kind == .pipeline, let root else {
            return (nil, diagnostics + (kind == .accounts ? [Diagnostic(.error, "this is an accounts file, not a pipeline", at: .start)] : []))
        }
        let log = seededLog()
        let decoder = PipelineDecoder(reader: YAMLReader(log: log), accounts: accounts, accountsPath: accountsPath)
        return finish(decoder.decode(root), log)
    }

    /// A log holding the parse problems already, so the error limit counts them too.
    private func seededLog() -> DiagnosticLog {
        let log = DiagnosticLog()
        diagnostics.forEach(log.append)
        return log
    }

    private func finish<Value>(_ value: Value?, _ log: DiagnosticLog) -> (Value?, [Diagnostic]) {
        let all = log.diagnostics.enumerated()
            .sorted { ($0.element.mark, $0.offset) < ($1.element.mark, $1.offset) }
            .map(\.element)
        let hasErrors = all.contains { $0.severity == .error }
        return (hasErrors ? nil : value, all)
    }
}
