import KubeAPI

/// JSON merge patch (RFC 7386): objects merge member by member, `null` removes, anything else replaces.
enum MergePatch {
    /// `target` with `patch` merged in.
    static func apply(_ patch: JSONValue, to target: JSONValue) -> JSONValue {
        guard case .object(let patchMembers) = patch else { return patch }
        var result = target.object ?? [:]
        for (key, value) in patchMembers {
            if value == .null {
                result[key] = nil
            } else {
                result[key] = apply(value, to: result[key] ?? .null)
            }
        }
        return .object(result)
    }
}
