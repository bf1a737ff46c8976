import Foundation
import TackYAML

/// Reads the nodes of one kubeconfig file: reports every problem with `FILE:LINE:COLUMN`, resolves
/// relative paths against the file's directory, and remembers the secret values it met so that no
/// message can carry them.
final class KubeconfigReader {
    /// The kubeconfig file, absolute.
    let path: String
    let log = DiagnosticLog()
    let yaml: YAMLReader
    /// Tokens, `*-data` and exec `env` values seen so far; redacted from every message.
    private var secrets: Set<String> = []

    init(path: String) {
        self.path = path
        yaml = YAMLReader(log: log)
    }

    /// The directory relative paths in the file resolve against.
    var directory: String { (path as NSString).deletingLastPathComponent }

    /// `path` as written when absolute, else joined to the kubeconfig's directory.
    func resolve(_ path: String) -> String {
        Self.join(directory, path)
    }

    /// `path` when absolute, else `directory/path`, without `.` components (`..` is kept: the
    /// directory may be a symbolic link).
    static func join(_ directory: String, _ path: String) -> String {
        let full = path.hasPrefix("/") ? path : directory + "/" + path
        return "/" + full.split(separator: "/").filter { $0 != "." }.joined(separator: "/")
    }

    /// Records an error at `node`.
    func error(_ message: String, at node: YAMLNode) {
        log.error(message, at: node.mark)
    }

    /// The node as a mapping with `keys` allowed; a wrong shape is reported without quoting the
    /// value, which may be a misplaced secret.
    func mapping(_ node: YAMLNode, what: String, keys: [String], refusing: [String: String] = [:]) -> YAMLMapping? {
        guard node.mapping != nil else {
            error("\(what) must be a mapping; got \(Self.shape(of: node))", at: node)
            return nil
        }
        return yaml.mapping(node, what: what, keys: keys, refusing: refusing)
    }

    /// The node as a list; null counts as an empty list, as kubectl writes `clusters: null`.
    func list(_ node: YAMLNode, what: String) -> [YAMLNode]? {
        if node.scalar?.isNull == true { return [] }
        guard let items = node.sequence else {
            error("\(what) must be a list; got \(Self.shape(of: node))", at: node)
            return nil
        }
        return items
    }

    /// The string under `key`, or nil when absent or invalid (reported).
    func string(_ mapping: YAMLMapping, _ key: String, what: String) -> String? {
        guard let node = mapping[key] else { return nil }
        return yaml.string(node, what: "\(key) of \(what)")
    }

    /// A secret string under `key`: remembered for redaction before anything else happens.
    func secret(_ mapping: YAMLMapping, _ key: String, what: String) -> String? {
        guard let node = mapping[key] else { return nil }
        remember(node)
        return yaml.string(node, what: "\(key) of \(what)")
    }

    /// The Boolean under `key`, or nil when absent or invalid (reported).
    func boolean(_ mapping: YAMLMapping, _ key: String, what: String) -> Bool? {
        guard let node = mapping[key] else { return nil }
        return yaml.boolean(node, what: "\(key) of \(what)")
    }

    /// The bytes of a `*-data` field (base64 of PEM text), checked to hold a PEM block.
    func pemData(_ mapping: YAMLMapping, _ key: String, what: String) -> [UInt8]? {
        guard let node = mapping[key] else { return nil }
        remember(node)
        guard let text = yaml.string(node, what: "\(key) of \(what)") else { return nil }
        let compact = text.filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: compact) else {
            error("\(key) of \(what) is not valid base64; it must be the base64 of a PEM file", at: node)
            return nil
        }
        let bytes = [UInt8](data)
        guard bytes.containsPEMBlock else {
            error("\(key) of \(what) decodes to no PEM block (-----BEGIN …); it must be the base64 of a PEM file", at: node)
            return nil
        }
        return bytes
    }

    /// The bytes of the PEM file named under `key`, resolved against the kubeconfig's directory.
    func pemFile(_ mapping: YAMLMapping, _ key: String, what: String) -> [UInt8]? {
        guard let node = mapping[key], let written = yaml.string(node, what: "\(key) of \(what)") else { return nil }
        let file = resolve(written)
        guard let bytes = readFile(file, at: node, what: "\(key) of \(what)") else { return nil }
        guard bytes.containsPEMBlock else {
            error("\(key) of \(what): \(file) holds no PEM block (-----BEGIN …)", at: node)
            return nil
        }
        return bytes
    }

    /// The contents of `file` (at most 1 MiB), or nil with an error naming it.
    func readFile(_ file: String, at node: YAMLNode, what: String) -> [UInt8]? {
        switch Self.read(file, limit: 1 << 20) {
        case .success(let bytes): return bytes
        case .failure(let problem):
            error("\(what): \(file) \(problem.reason)", at: node)
            return nil
        }
    }

    /// Remembers a scalar as secret.
    func remember(_ node: YAMLNode) {
        if let value = node.scalar?.value, value.count >= 4 { secrets.insert(value) }
    }

    /// Throws every error recorded, one `FILE:LINE:COLUMN: message` per line, secrets redacted.
    func check() throws(KubeError) {
        let errors = log.sorted.filter { $0.severity == .error }
        guard !errors.isEmpty else { return }
        throw .configuration(errors.map { redacted("\(path):\($0.line):\($0.column): \($0.message)") }.joined(separator: "\n"))
    }

    /// `text` without any secret seen.
    func redacted(_ text: String) -> String {
        secrets.sorted { $0.count > $1.count }.reduce(text) { $0.replacingOccurrences(of: $1, with: "<redacted>") }
    }

    /// How a node reads in a message without its value: `a string`, `a list`, `a mapping`, `nothing (null)`.
    static func shape(of node: YAMLNode) -> String {
        switch node.content {
        case .sequence: "a list"
        case .mapping: "a mapping"
        case .scalar(let scalar): scalar.isNull ? "nothing (null)" : "a string"
        }
    }
}

extension KubeconfigReader {
    /// Why a file could not be read.
    struct ReadProblem: Error {
        /// Completes "FILE …": "does not exist", "is a directory", ...
        let reason: String
    }

    /// Reads at most `limit` bytes of a regular file.
    static func read(_ file: String, limit: Int) -> Result<[UInt8], ReadProblem> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
            return .failure(ReadProblem(reason: "does not exist"))
        }
        guard !isDirectory.boolValue else { return .failure(ReadProblem(reason: "is a directory, not a file")) }
        guard let handle = FileHandle(forReadingAtPath: file) else {
            return .failure(ReadProblem(reason: "cannot be read (permission denied?)"))
        }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: limit + 1) ?? Data() else {
            return .failure(ReadProblem(reason: "cannot be read"))
        }
        guard data.count <= limit else { return .failure(ReadProblem(reason: "is larger than \(limit) bytes")) }
        return .success([UInt8](data))
    }
}
