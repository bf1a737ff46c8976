import KubeAPI

/// The fields one manager owns: paths to leaves, lists being atomic leaves. It reads and writes the
/// `fieldsV1` form (`{"f:spec":{"f:replicas":{}}}`, with `".": {}` for a field owned with its children).
struct FieldSet: Sendable, Hashable {
    private(set) var paths: Set<[String]>

    /// A set of paths.
    init(_ paths: some Sequence<[String]> = []) {
        self.paths = Set(paths)
    }

    /// The leaves of `value`.
    init(leavesOf value: JSONValue) {
        self.init(value.leafPaths())
    }

    /// Reads `fieldsV1`; keys other than `f:` and `.` (list keys, set values) are kept whole as path elements.
    init(fieldsV1: JSONValue) {
        var paths: Set<[String]> = []
        func walk(_ node: JSONValue, _ prefix: [String]) {
            guard let members = node.object, !members.isEmpty else {
                if !prefix.isEmpty { paths.insert(prefix) }
                return
            }
            for (key, child) in members {
                if key == "." {
                    paths.insert(prefix)
                } else {
                    walk(child, prefix + [key.hasPrefix("f:") ? String(key.dropFirst(2)) : key])
                }
            }
        }
        walk(fieldsV1, [])
        self.paths = paths
    }

    var isEmpty: Bool { paths.isEmpty }

    func contains(_ path: [String]) -> Bool { paths.contains(path) }

    mutating func insert(_ path: [String]) { paths.insert(path) }

    mutating func remove(_ path: [String]) { paths.remove(path) }

    func subtracting(_ other: FieldSet) -> FieldSet { FieldSet(paths.subtracting(other.paths)) }

    func union(_ other: FieldSet) -> FieldSet { FieldSet(paths.union(other.paths)) }

    /// The `fieldsV1` object.
    var fieldsV1: JSONValue {
        final class Node {
            var isLeaf = false
            var children: [String: Node] = [:]

            var json: JSONValue {
                var members = children.reduce(into: [String: JSONValue]()) { $0["f:" + $1.key] = $1.value.json }
                if isLeaf, !members.isEmpty { members["."] = .object([:]) }
                return .object(members)
            }
        }
        let root = Node()
        for path in paths {
            var node = root
            for key in path {
                if let child = node.children[key] {
                    node = child
                } else {
                    let child = Node()
                    node.children[key] = child
                    node = child
                }
            }
            node.isLeaf = true
        }
        return root.json
    }

    /// A path as the apiserver prints it in conflicts: `.spec.replicas`.
    static func describe(_ path: [String]) -> String {
        path.map { "." + $0 }.joined()
    }
}
