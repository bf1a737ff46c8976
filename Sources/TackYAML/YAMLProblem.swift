/// A problem found in a YAML source, with its place.
public struct YAMLProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where the problem is.
    public var mark: Mark
    /// What is wrong, as a sentence for the user.
    public var message: String

    /// A problem at a mark.
    public init(_ message: String, at mark: Mark) {
        self.message = message
        self.mark = mark
    }

    /// `LINE:COLUMN: MESSAGE`.
    public var description: String { "\(mark): \(message)" }
}
