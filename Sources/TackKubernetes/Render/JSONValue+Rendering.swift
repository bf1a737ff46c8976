import KubeAPI

extension JSONValue {
    /// An integer value.
    static func count(_ value: Int) -> JSONValue { .integer(Int64(value)) }

    /// An object of string members, such as labels or a selector.
    static func strings(_ members: [String: String]) -> JSONValue { .object(members.mapValues { .string($0) }) }

    /// `metadata` with name, namespace, labels and (when any) annotations.
    static func metadata(
        name: String, namespace: String, labels: [String: String], annotations: [String: String] = [:]
    ) -> JSONValue {
        var metadata: JSONValue = ["name": .string(name), "namespace": .string(namespace), "labels": .strings(labels)]
        if !annotations.isEmpty { metadata["annotations"] = .strings(annotations) }
        return metadata
    }
}
