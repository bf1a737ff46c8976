import Foundation
import TackYAML

/// One kubeconfig file, parsed and checked for its shape: the named entries in written order and
/// `current-context`. Entries' bodies are decoded later, when a context uses them.
struct KubeconfigFile: Sendable {
    /// The absolute path.
    let path: String
    /// `current-context`, when set and not empty.
    var currentContext: String?
    var clusters: [KubeconfigEntry] = []
    var users: [KubeconfigEntry] = []
    var contexts: [KubeconfigEntry] = []

    /// The top-level keys of a kubeconfig; `apiVersion`, `kind`, `preferences` and `extensions` are ignored.
    static let topKeys = ["apiVersion", "kind", "preferences", "clusters", "users", "contexts", "current-context", "extensions"]

    /// Reads and parses the file at `path` (absolute); every problem is thrown with its place.
    static func load(path: String) throws(KubeError) -> KubeconfigFile {
        let bytes: [UInt8]
        switch KubeconfigReader.read(path, limit: YAMLLimits.default.maxBytes) {
        case .success(let read): bytes = read
        case .failure(let problem): throw .configuration("\(path) \(problem.reason)")
        }
        return try parse(bytes, path: path)
    }

    /// Parses kubeconfig YAML that came from `path`.
    static func parse(_ bytes: [UInt8], path: String) throws(KubeError) -> KubeconfigFile {
        // The parser's messages may quote the file (an alias name, a key) before any value is known
        // to be secret, so what looks like a credential is blanked.
        let document: YAMLDocument
        do {
            document = try YAMLParser.parse(bytes)
        } catch {
            throw .configuration("\(path):\(error.mark): \(SecretRedaction.redacted(error.message))")
        }
        let reader = KubeconfigReader(path: path)
        document.problems.forEach { reader.log.error(SecretRedaction.redacted($0.message), at: $0.mark) }
        var file = KubeconfigFile(path: path)
        if let root = document.root, root.scalar?.isNull != true,
           let top = reader.mapping(root, what: "a kubeconfig", keys: topKeys) {
            if let node = top["current-context"] {
                if let scalar = node.scalar {
                    file.currentContext = scalar.isNull || scalar.value.isEmpty ? nil : scalar.value
                } else {
                    reader.error("current-context must be a context name; got \(KubeconfigReader.shape(of: node))", at: node)
                }
            }
            file.clusters = entries(top["clusters"], kind: "cluster", reader: reader)
            file.users = entries(top["users"], kind: "user", reader: reader)
            file.contexts = entries(top["contexts"], kind: "context", reader: reader)
        }
        try reader.check()
        return file
    }

    /// The entries of a `clusters`, `users` or `contexts` list; names must be unique in one file.
    private static func entries(_ node: YAMLNode?, kind: String, reader: KubeconfigReader) -> [KubeconfigEntry] {
        guard let node, let items = reader.list(node, what: "\(kind)s") else { return [] }
        var entries: [KubeconfigEntry] = []
        var seen: [String: Mark] = [:]
        for item in items {
            guard let entry = reader.mapping(item, what: "an entry of \(kind)s", keys: ["name", kind]),
                  let nameNode = entry.required("name"), let name = reader.yaml.string(nameNode, what: "the name of a \(kind)"),
                  let body = entry.required(kind) else { continue }
            if let first = seen[name] {
                reader.error("\(kind) \"\(name)\" is defined twice in this file (first at line \(first.line)); names must be unique", at: nameNode)
                continue
            }
            seen[name] = nameNode.mark
            entries.append(KubeconfigEntry(kind: kind, name: name, body: body, nameNode: nameNode, file: reader.path))
        }
        return entries
    }
}
