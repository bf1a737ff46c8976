import KubeAPI

/// Label validation as kube-apiserver applies it on every create and update (apimachinery's
/// `ValidateLabels`): keys are qualified names, values at most 63 characters matching
/// `(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?`.
extension ObjectStore {
    static let labelValueRule = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must "
        + "start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is "
        + "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
    static let qualifiedNameRule = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
        + "character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
    static let subdomainRule = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
        + "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
        + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"

    /// Refuses `object` with 422 Invalid when any of its label maps is invalid.
    static func checkLabels(_ object: JSONValue, _ served: ServedResource, name: String) throws(APIFailure) {
        let causes = labelCauses(object, served)
        guard causes.isEmpty else { throw .invalid(kind: served.resource.kind, group: served.resource.group, name: name, causes: causes) }
    }

    /// The label problems of `object`, under the field paths kube-apiserver reports: `metadata.labels`;
    /// a Deployment's `spec.selector.matchLabels` and its pod template's `spec.template.labels`
    /// (sic: `ValidatePodTemplateSpec` leaves `metadata` out); a Service's `spec.selector`.
    static func labelCauses(_ object: JSONValue, _ served: ServedResource) -> [APIFailure.Cause] {
        var maps: [(field: String, path: [String])] = [("metadata.labels", ["metadata", "labels"])]
        if served.resource == .deployments {
            maps.append(("spec.selector.matchLabels", ["spec", "selector", "matchLabels"]))
            maps.append(("spec.template.labels", ["spec", "template", "metadata", "labels"]))
        } else if served.resource == .services {
            maps.append(("spec.selector", ["spec", "selector"]))
        }
        return maps.flatMap { map in
            let labels = object[path: map.path]?.object ?? [:]
            return labels.keys.sorted().flatMap { key in
                let keyCauses = qualifiedNameProblems(key).map { Self.invalidLabel(key, $0, field: map.field) }
                let value = labels[key]?.string ?? ""
                return keyCauses + labelValueProblems(value).map { Self.invalidLabel(value, $0, field: map.field) }
            }
        }
    }

    /// The problems of a label value (apimachinery's `IsValidLabelValue`).
    static func labelValueProblems(_ value: String) -> [String] {
        var problems: [String] = []
        if value.utf8.count > 63 { problems.append("must be no more than 63 characters") }
        if !value.isEmpty, !isQualifiedNamePart(value) { problems.append(labelValueRule) }
        return problems
    }

    /// The problems of a label key, an optional DNS subdomain prefix and `/` before a name of at
    /// most 63 characters (apimachinery's `IsQualifiedName`).
    static func qualifiedNameProblems(_ key: String) -> [String] {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 2 else {
            return ["a qualified name " + qualifiedNameRule + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
        }
        var problems: [String] = []
        if parts.count == 2 {
            if parts[0].isEmpty {
                problems.append("prefix part must be non-empty")
            } else if parts[0].utf8.count > 253 {
                problems.append("prefix part must be no more than 253 characters")
            } else if !isDNS1123Subdomain(parts[0]) {
                problems.append("prefix part " + subdomainRule)
            }
        }
        let name = parts[parts.count - 1]
        if name.isEmpty {
            problems.append("name part must be non-empty")
        } else if name.utf8.count > 63 {
            problems.append("name part must be no more than 63 characters")
        }
        if !isQualifiedNamePart(name) { problems.append("name part " + qualifiedNameRule) }
        return problems
    }

    /// Whether `text` matches `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`.
    private static func isQualifiedNamePart(_ text: String) -> Bool {
        guard let first = text.first, let last = text.last else { return false }
        return first.isAlphanumericASCII && last.isAlphanumericASCII
            && text.allSatisfy { $0.isAlphanumericASCII || $0 == "-" || $0 == "_" || $0 == "." }
    }

    /// A `FieldValueInvalid` cause as `field.Invalid` words it.
    private static func invalidLabel(_ value: String, _ problem: String, field: String) -> APIFailure.Cause {
        APIFailure.Cause(reason: "FieldValueInvalid", message: "Invalid value: \"\(value)\": \(problem)", field: field)
    }
}

extension Character {
    /// `A`-`Z`, `a`-`z` or `0`-`9`.
    fileprivate var isAlphanumericASCII: Bool {
        isASCII && (isLetter || isNumber)
    }
}
