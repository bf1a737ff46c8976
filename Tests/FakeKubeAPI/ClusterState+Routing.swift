import KubeAPI

/// Request dispatch: the path names a resource (and maybe a namespace, object and subresource), the
/// method and query pick the verb.
extension ClusterState {
    /// Where a request path points.
    struct Target {
        var served: ServedResource
        var namespace: String?
        var name: String?
        var subresource: String?
        /// A deprecated `/watch/` path.
        var isWatchPath = false
    }

    /// Answers a request that passed authentication and fault injection.
    mutating func route(_ request: IncomingRequest, now: String) -> Reply {
        switch (request.method, request.path) {
        case ("GET", "/healthz"), ("GET", "/readyz"), ("GET", "/livez"):
            return .text(status: 200, "ok")
        case ("GET", "/version"):
            return .json(status: 200, body: ["major": "1", "minor": "34", "gitVersion": "v1.34.0-fake", "platform": "linux/amd64"], headers: [])
        default:
            break
        }
        do {
            let target = try target(of: request.path)
            if target.name == nil {
                return try collection(target, request, now: now)
            }
            return try member(target, request, now: now)
        } catch {
            return .failure(error)
        }
    }

    /// Reads `/api/v1/...` and `/apis/GROUP/VERSION/...` paths.
    func target(of path: String) throws(APIFailure) -> Target {
        var segments = path.split(separator: "/").map { QueryParameters.decode($0) }[...]
        let group: String
        switch segments.popFirst() {
        case "api": group = ""
        case "apis": group = segments.popFirst() ?? ""
        default: throw .unknownPath
        }
        guard let version = segments.popFirst() else { throw .unknownPath }
        var isWatchPath = false
        if segments.first == "watch" {
            isWatchPath = true
            segments.removeFirst()
        }
        var namespace: String?
        if segments.first == "namespaces", segments.count >= 3 {
            namespace = segments[segments.startIndex + 1]
            segments.removeFirst(2)
        }
        guard let plural = segments.popFirst(), let served = store.served(group: group, version: version, plural: plural) else {
            throw .unknownPath
        }
        guard namespace == nil || served.resource.isNamespaced else { throw .unknownPath }
        let name = segments.popFirst()
        let subresource = segments.popFirst()
        guard segments.isEmpty, subresource == nil || (subresource == "status" && served.hasStatusSubresource) else { throw .unknownPath }
        if name != nil, served.resource.isNamespaced, namespace == nil { throw .unknownPath }
        return Target(served: served, namespace: namespace, name: name, subresource: subresource, isWatchPath: isWatchPath)
    }

    private mutating func collection(_ target: Target, _ request: IncomingRequest, now: String) throws(APIFailure) -> Reply {
        switch request.method {
        case "GET":
            if target.isWatchPath || request.query.bool("watch") == true {
                return try startWatch(target, request.query, pinnedName: nil)
            }
            return .json(status: 200, body: try store.list(target.served, namespace: target.namespace, query: request.query), headers: [])
        case "POST":
            guard target.namespace != nil || !target.served.resource.isNamespaced else { throw .methodNotAllowed }
            let result = try write { (store: inout ObjectStore) throws(APIFailure) -> WriteResult in
                try store.create(target.served, namespace: target.namespace, body: try Self.json(request), manager: Self.manager(request), now: now)
            }
            return .json(status: result.status, body: result.object, headers: [])
        case "DELETE":
            return try deleteCollection(target, request)
        default:
            throw .methodNotAllowed
        }
    }

    private mutating func member(_ target: Target, _ request: IncomingRequest, now: String) throws(APIFailure) -> Reply {
        let key = ObjectKey(namespace: target.namespace ?? "", name: target.name!)
        let served = target.served
        switch request.method {
        case "GET":
            if target.isWatchPath || request.query.bool("watch") == true {
                return try startWatch(target, request.query, pinnedName: key.name)
            }
            guard let object = store.object(served, key) else { throw .notFound(served.resource, name: key.name) }
            return .json(status: 200, body: object, headers: [])
        case "PUT":
            let result = try write { (store: inout ObjectStore) throws(APIFailure) -> WriteResult in
                try store.replace(served, key, body: try Self.json(request), subresource: target.subresource, manager: Self.manager(request), now: now)
            }
            return .json(status: result.status, body: result.object, headers: [])
        case "PATCH":
            let result = try patch(target, key, request, now: now)
            return .json(status: result.status, body: result.object, headers: [])
        case "DELETE" where target.subresource == nil:
            let options = try Self.deleteOptions(request)
            let (status, event) = try store.delete(served, key, options: options)
            publish(event)
            return .json(status: 200, body: status, headers: [])
        default:
            throw .methodNotAllowed
        }
    }

    /// PATCH: content type and PatchOptions are checked first, as the apiserver does.
    private mutating func patch(_ target: Target, _ key: ObjectKey, _ request: IncomingRequest, now: String) throws(APIFailure) -> WriteResult {
        let mediaType = request.mediaType ?? ""
        let accepted = target.served.isCustomResource
            ? ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"]
            : ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml"]
        guard accepted.contains(mediaType) else { throw .unsupportedMediaType(accepting: accepted) }
        guard mediaType != "application/strategic-merge-patch+json" else {
            throw .notImplemented("strategic merge patch (application/strategic-merge-patch+json); use application/merge-patch+json or application/apply-patch+yaml")
        }
        let isApply = mediaType == "application/apply-patch+yaml"
        if isApply, (request.query["fieldManager"] ?? "").isEmpty {
            throw .invalidOptions("PatchOptions", .init(reason: "FieldValueRequired", message: "Required value: is required for apply patch", field: "fieldManager"))
        }
        if !isApply, request.query.contains("force") {
            throw .invalidOptions("PatchOptions", .init(reason: "FieldValueForbidden", message: "Forbidden: may not be specified for non-apply patch", field: "force"))
        }
        let served = target.served
        return try write { (store: inout ObjectStore) throws(APIFailure) -> WriteResult in
            if isApply {
                guard let body = try? JSONValue.parse(request.body) else {
                    throw APIFailure(code: 415, reason: "UnsupportedMediaType",
                                     message: "the fake API server accepts only JSON apply bodies (JSON is valid YAML); this body is YAML that is not JSON",
                                     details: [:])
                }
                return try store.apply(served, key, body: body, subresource: target.subresource, manager: request.query["fieldManager"]!,
                                       force: request.query.bool("force") == true, now: now)
            }
            return try store.patch(served, key, mediaType: mediaType, body: request.body, subresource: target.subresource,
                                   manager: Self.manager(request), now: now)
        }
    }

    /// DELETE on a collection: deletes every object the label and field selectors match.
    private mutating func deleteCollection(_ target: Target, _ request: IncomingRequest) throws(APIFailure) -> Reply {
        let labels = try LabelSelector(parsing: request.query["labelSelector"] ?? "")
        let fields = try FieldSelector(parsing: request.query["fieldSelector"] ?? "", for: target.served)
        let options = try Self.deleteOptions(request)
        for (key, object) in store.objects(of: target.served).sorted(by: { $0.key < $1.key })
        where (target.namespace == nil || key.namespace == target.namespace) && labels.matches(object.labels) && fields.matches(object) {
            let (_, event) = try store.delete(target.served, key, options: options)
            publish(event)
        }
        return .json(status: 200, body: ["kind": "Status", "apiVersion": "v1", "metadata": .object([:]), "status": "Success"], headers: [])
    }

    /// The request body as JSON; 400 when it is not.
    static func json(_ request: IncomingRequest) throws(APIFailure) -> JSONValue {
        guard let value = try? JSONValue.parse(request.body) else {
            throw .badRequest("the body of the request could not be decoded as JSON (\(request.body.count) bytes)")
        }
        return value
    }

    /// DeleteOptions from the body or the query; an unknown propagationPolicy is a 422.
    static func deleteOptions(_ request: IncomingRequest) throws(APIFailure) -> JSONValue? {
        var options: JSONValue? = request.body.isEmpty ? nil : try json(request)
        if let policy = request.query["propagationPolicy"] { options = (options ?? .object([:])).merging(propagationPolicy: policy) }
        if let policy = options?["propagationPolicy"]?.string, !["Orphan", "Background", "Foreground"].contains(policy) {
            throw .invalidOptions("DeleteOptions", .init(reason: "FieldValueNotSupported",
                                                         message: "Unsupported value: \"\(policy)\": supported values: \"Foreground\", \"Background\", \"Orphan\"",
                                                         field: "propagationPolicy"))
        }
        return options
    }

    /// The manager of a non-apply write: `fieldManager`, else the User-Agent up to its first `/`.
    static func manager(_ request: IncomingRequest) -> String {
        if let manager = request.query["fieldManager"], !manager.isEmpty { return manager }
        if let agent = request.headers["user-agent"], let prefix = agent.split(separator: "/").first { return String(prefix) }
        return "unknown"
    }
}

extension JSONValue {
    /// The options with `propagationPolicy` set.
    fileprivate func merging(propagationPolicy: String) -> JSONValue {
        var copy = self
        copy["propagationPolicy"] = .string(propagationPolicy)
        return copy
    }
}
