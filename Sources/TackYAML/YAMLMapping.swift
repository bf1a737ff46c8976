/// A mapping whose keys were checked against the allowed ones; gives its values by key.
public struct YAMLMapping {
    /// The mapping node itself.
    public let node: YAMLNode
    /// What the mapping is, for messages ("a deploy cluster").
    public let what: String
    private let values: [String: YAMLPair]
    private let reader: YAMLReader
    /// Keys an unknown key was reported as a likely misspelling of (or all keys, after a merge key).
    private let covered: Set<String>

    init(node: YAMLNode, pairs: [YAMLPair], what: String, reader: YAMLReader, covered: Set<String> = []) {
        self.node = node
        self.what = what
        self.reader = reader
        self.covered = covered
        var values: [String: YAMLPair] = [:]
        for pair in pairs {
            guard let key = pair.key.scalar?.value, values[key] == nil else { continue }
            values[key] = pair
        }
        self.values = values
    }

    /// The value under `key`, or nil when absent.
    public subscript(key: String) -> YAMLNode? { values[key]?.value }

    /// The key node of `key`, or nil when absent.
    public func keyNode(_ key: String) -> YAMLNode? { values[key]?.key }

    /// Whether `key` is present.
    public func has(_ key: String) -> Bool { values[key] != nil }

    /// The value under `key`; when absent, reports it as missing and returns nil (unless an unknown
    /// key already reported stands for it, such as a misspelling of it).
    public func required(_ key: String) -> YAMLNode? {
        if let value = values[key]?.value { return value }
        if !covered.contains(key) {
            reader.log.error("missing required key \"\(key)\" in \(what)", at: node.mark)
        }
        return nil
    }
}
