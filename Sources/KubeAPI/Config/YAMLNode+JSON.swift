import TackYAML

extension YAMLNode {
    /// The node as JSON, typing plain scalars as YAML 1.2's core schema does (null, Booleans,
    /// numbers); quoted scalars stay strings. For kubeconfig extensions passed to exec plugins.
    var jsonValue: JSONValue {
        switch content {
        case .sequence(let items):
            return .array(items.map(\.jsonValue))
        case .mapping(let pairs):
            var members: [String: JSONValue] = [:]
            for pair in pairs {
                let key = pair.key.scalar?.value ?? ""
                if members[key] == nil { members[key] = pair.value.jsonValue }
            }
            return .object(members)
        case .scalar(let scalar):
            guard scalar.isPlain else { return .string(scalar.value) }
            if scalar.isNull { return .null }
            switch scalar.value {
            case "true", "True", "TRUE": return .bool(true)
            case "false", "False", "FALSE": return .bool(false)
            default: break
            }
            if let integer = Int64(scalar.value) { return .integer(integer) }
            let numberCharacters = scalar.value.allSatisfy { "0123456789+-.eE".contains($0) }
            if numberCharacters, let number = Double(scalar.value), number.isFinite { return .number(number) }
            return .string(scalar.value)
        }
    }
}
