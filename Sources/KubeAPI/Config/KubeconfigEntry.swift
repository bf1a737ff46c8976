import TackYAML

/// One named cluster, user or context of a kubeconfig file, not yet decoded: merging keeps whole
/// entries, and only the ones a context uses are decoded (so a broken unused entry does not matter).
struct KubeconfigEntry: Sendable {
    /// What the entry is: `cluster`, `user` or `context` (also its body's key).
    let kind: String
    /// The entry's name.
    let name: String
    /// The body (the value of `cluster`, `user` or `context`).
    let body: YAMLNode
    /// The value node of `name`, for messages.
    let nameNode: YAMLNode
    /// The absolute path of the file that defines it; relative paths in it resolve against its directory.
    let file: String

    /// `cluster "prod"`, for messages.
    var what: String { "\(kind) \"\(name)\"" }
}
