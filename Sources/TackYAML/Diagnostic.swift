/// One finding about an input file, printed compiler-style as `FILE:LINE:COLUMN: error: MESSAGE`.
public struct Diagnostic: Sendable, Hashable, Codable {
    /// How bad a finding is: errors stop the file from being used, warnings do not.
    public enum Severity: String, Sendable, Hashable, Codable {
        case error, warning
    }

    /// How bad it is.
    public var severity: Severity
    /// The 1-based line.
    public var line: Int
    /// The 1-based column.
    public var column: Int
    /// What is wrong and what is allowed.
    public var message: String

    /// The longest message kept whole; longer ones (a huge value echoed, a long list of names)
    /// keep their start and end around an ellipsis.
    public static let maxMessageLength = 480

    /// A finding at a mark.
    public init(_ severity: Severity, _ message: String, at mark: Mark) {
        self.severity = severity
        self.message = message.count <= Self.maxMessageLength
            ? message
            : "\(message.prefix(Self.maxMessageLength - 120)) … \(message.suffix(100))"
        self.line = mark.line
        self.column = mark.column
    }

    /// Where it is.
    public var mark: Mark { Mark(line: line, column: column) }

    /// `FILE:LINE:COLUMN: SEVERITY: MESSAGE`, or `FILE: SEVERITY: MESSAGE` for a finding about the
    /// whole file (line 0).
    public func formatted(file: String) -> String {
        let place = line > 0 ? "\(file):\(line):\(column)" : file
        return "\(place): \(severity.rawValue): \(message)"
    }
}

/// Collects the diagnostics of one file, so every problem is reported in one run, up to
/// `maxErrors`: past that, one last error says so and the rest are dropped, as compilers do.
public final class DiagnosticLog {
    /// Everything reported so far, in the order found.
    public private(set) var diagnostics: [Diagnostic] = []
    /// What was reported, so a node reached twice (through an alias) is reported once.
    private var seen: Set<Diagnostic> = []
    private var errorCount = 0
    /// The most errors reported for one file.
    public let maxErrors: Int

    /// An empty log.
    public init(maxErrors: Int = 200) {
        self.maxErrors = maxErrors
    }

    /// Whether the error limit was reached, so callers can skip work whose findings would be dropped.
    public var isFull: Bool { errorCount >= maxErrors }

    /// Records an error.
    public func error(_ message: String, at mark: Mark) {
        append(Diagnostic(.error, message, at: mark))
    }

    /// Records a warning.
    public func warning(_ message: String, at mark: Mark) {
        append(Diagnostic(.warning, message, at: mark))
    }

    /// Records a finding made elsewhere (by the parser, say), under the same limit.
    public func append(_ diagnostic: Diagnostic) {
        guard !isFull, seen.insert(diagnostic).inserted else { return }
        diagnostics.append(diagnostic)
        guard diagnostic.severity == .error else { return }
        errorCount += 1
        if isFull {
            diagnostics.append(Diagnostic(.error, "too many errors; stopped after \(maxErrors)", at: diagnostic.mark))
        }
    }

    /// Whether any error was recorded.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// The diagnostics sorted by position (stable for equal positions).
    public var sorted: [Diagnostic] {
        diagnostics.enumerated()
            .sorted { ($0.element.mark, $0.offset) < ($1.element.mark, $1.offset) }
            .map(\.element)
    }
}
