import FakeKubeAPI

/// One permission as Kubernetes RBAC checks it: an API group (empty for the core group), a
/// resource (`deployments`, or `deployments/status` for a subresource) and a verb.
struct APIPermission: Hashable, Comparable, CustomStringConvertible {
    var group: String
    var resource: String
    var verb: String

    var description: String { "\(group.isEmpty ? "\"\"" : group) \(resource) \(verb)" }

    static func < (lhs: APIPermission, rhs: APIPermission) -> Bool {
        (lhs.group, lhs.resource, lhs.verb) < (rhs.group, rhs.resource, rhs.verb)
    }

    /// The permissions kube-apiserver's authorizer checks for each of `requests`, made in this
    /// order to a server that held no objects before them; none for a path outside `/api` and
    /// `/apis` (discovery, `/version`, health checks), which RBAC grants by `nonResourceURLs`.
    ///
    /// GET is `watch` with `?watch=true` (or a `/watch/` path), `list` on a collection and `get` on
    /// an object; POST is `create`, PUT `update`, PATCH `patch`, DELETE `delete` (on a collection
    /// `deletecollection`). A server-side apply that creates its object is authorized as `patch`
    /// and then also as `create` (the apiserver's patch handler checks `create` when the object does
    /// not exist), so the objects' existence is followed through the requests.
    static func needed(by requests: [RecordedRequest]) -> [[APIPermission]] {
        var existing: Set<[String]> = []
        return requests.map { request in
            guard let target = APITarget(path: request.path) else { return [] }
            let permission = { (verb: String) in APIPermission(group: target.group, resource: target.resource, verb: verb) }
            let key = [target.group, target.resource, target.namespace ?? "", target.name ?? ""]
            switch request.method {
            case "GET" where request.isWatch: return [permission("watch")]
            case "GET": return [permission(target.name == nil ? "list" : "get")]
            case "POST":
                if let name = request.json?[path: ["metadata", "name"]]?.string { existing.insert(Array(key.dropLast()) + [name]) }
                return [permission("create")]
            case "PUT": return [permission("update")]
            case "PATCH" where request.contentType?.hasPrefix("application/apply-patch+yaml") == true:
                return existing.insert(key).inserted ? [permission("patch"), permission("create")] : [permission("patch")]
            case "PATCH": return [permission("patch")]
            case "DELETE":
                existing.remove(key)
                return [permission(target.name == nil ? "deletecollection" : "delete")]
            default: return [permission(request.method.lowercased())]
            }
        }
    }
}

/// What an API path names, as kube-apiserver's RequestInfo reads it.
struct APITarget: Equatable {
    var group: String
    /// The resource, with `/subresource` when one is named.
    var resource: String
    var namespace: String?
    var name: String?
}

extension APITarget {
    /// `/api/v1/...` or `/apis/GROUP/VERSION/...`; nil for other paths (discovery, health, version).
    init?(path: String) {
        var segments = path.split(separator: "/").map(String.init)[...]
        switch segments.popFirst() {
        case "api": group = ""
        case "apis": group = segments.popFirst() ?? ""
        default: return nil
        }
        guard segments.popFirst() != nil else { return nil }  // the version
        if segments.first == "watch" { segments.removeFirst() }
        if segments.first == "namespaces", segments.count >= 3 {
            namespace = segments.dropFirst().first
            segments.removeFirst(2)
        }
        guard let resource = segments.popFirst() else { return nil }
        name = segments.popFirst()
        self.resource = segments.first.map { "\(resource)/\($0)" } ?? resource
    }
}
