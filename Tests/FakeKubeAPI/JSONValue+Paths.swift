import KubeAPI

extension JSONValue {
    /// Sets the value at `path`, creating objects on the way and replacing values that are not objects.
    mutating func setValue(_ value: JSONValue, at path: some Collection<String>) {
        guard let first = path.first else {
            self = value
            return
        }
        var members = object ?? [:]
        var child = members[first] ?? .object([:])
        child.setValue(value, at: path.dropFirst())
        members[first] = child
        self = .object(members)
    }

    /// Removes the member at `path`; nothing happens when it is absent.
    mutating func removeValue(at path: some Collection<String>) {
        guard let first = path.first, var members = object, var child = members[first] else { return }
        if path.count == 1 {
            members[first] = nil
        } else {
            child.removeValue(at: path.dropFirst())
            members[first] = child
        }
        self = .object(members)
    }

    /// The value at `path`, following object members.
    func value(at path: some Collection<String>) -> JSONValue? {
        path.reduce(Optional(self)) { value, key in value?[key] }
    }

    /// The paths of every leaf below `prefix`: values that are not objects (lists are atomic), and
    /// empty objects; `null` members are not leaves.
    func leafPaths(under prefix: [String] = []) -> [[String]] {
        switch self {
        case .null:
            return []
        case .object(let members) where !members.isEmpty:
            return members.keys.sorted().flatMap { key in members[key]!.leafPaths(under: prefix + [key]) }
        default:
            return prefix.isEmpty ? [] : [prefix]
        }
    }

    /// The object without the members at `paths`.
    func removing(_ paths: [[String]]) -> JSONValue {
        var copy = self
        for path in paths { copy.removeValue(at: path) }
        return copy
    }
}
