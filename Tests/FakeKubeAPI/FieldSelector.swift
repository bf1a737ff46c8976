import KubeAPI

/// A `fieldSelector` query: `field=value`, `field==value` or `field!=value` terms joined by commas.
struct FieldSelector: Sendable, Hashable {
    /// One term.
    struct Term: Sendable, Hashable {
        var path: [String]
        var value: String
        var isNegated: Bool
    }

    var terms: [Term] = []

    /// The selector that matches everything.
    static let everything = FieldSelector()

    /// The fields kube-apiserver lets every resource select on.
    static let commonFields: Set<String> = ["metadata.name", "metadata.namespace"]
    /// The extra fields Pods support.
    static let podFields: Set<String> = ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                                         "status.phase", "status.podIP", "status.nominatedNodeName"]

    /// Parses a selector for `resource`; throws a 400 for bad syntax or a field the resource does not support.
    init(parsing text: String, for resource: ServedResource) throws(APIFailure) {
        let supported = resource.resource == .pods ? Self.commonFields.union(Self.podFields) : Self.commonFields
        for part in text.split(separator: ",") {
            let term = String(part).trimmingSpaces
            let (field, value, isNegated): (String, String, Bool)
            if let range = term.range(of: "!=") {
                (field, value, isNegated) = (String(term[..<range.lowerBound]), String(term[range.upperBound...]), true)
            } else if let range = term.range(of: "==") ?? term.range(of: "=") {
                (field, value, isNegated) = (String(term[..<range.lowerBound]), String(term[range.upperBound...]), false)
            } else {
                throw .badRequest("invalid selector: '\(text)'; can't understand '\(term)'")
            }
            let name = field.trimmingSpaces
            guard supported.contains(name) else {
                throw .badRequest("field label not supported: \(name)")
            }
            terms.append(Term(path: name.split(separator: ".").map(String.init), value: value.trimmingSpaces, isNegated: isNegated))
        }
    }

    private init() {}

    /// Whether `object` satisfies every term.
    func matches(_ object: JSONValue) -> Bool {
        terms.allSatisfy { term in
            let actual = object.value(at: term.path)?.string ?? ""
            return (actual == term.value) != term.isNegated
        }
    }

    /// The name the selector pins with `metadata.name=X`, if any.
    var pinnedName: String? {
        terms.first { $0.path == ["metadata", "name"] && !$0.isNegated }?.value
    }
}
