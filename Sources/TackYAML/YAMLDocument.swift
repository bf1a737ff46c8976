/// A parsed YAML file: its root node (nil when the file holds no document) and the problems that
/// did not stop parsing, such as duplicate keys.
public struct YAMLDocument: Sendable {
    /// The root node, or nil for an empty file.
    public var root: YAMLNode?
    /// Problems found while building the tree that do not prevent reading it.
    public var problems: [YAMLProblem]

    /// A document.
    public init(root: YAMLNode?, problems: [YAMLProblem]) {
        self.root = root
        self.problems = problems
    }
}
