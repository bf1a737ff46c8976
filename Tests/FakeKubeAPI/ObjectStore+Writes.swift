import KubeAPI

/// Create, replace (PUT), merge and JSON patches, and delete, with kube-apiserver's checks and answers.
extension ObjectStore {
    /// POST to a collection: 201 with the stored object.
    mutating func create(_ served: ServedResource, namespace: String?, body: JSONValue, manager: String, now: String) throws(APIFailure) -> WriteResult {
        try Self.checkTypeMeta(body, served)
        if let bodyNamespace = body.namespace, !bodyNamespace.isEmpty, let namespace, bodyNamespace != namespace {
            throw .badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        var name = body.name ?? ""
        if name.isEmpty, let prefix = body[path: ["metadata", "generateName"]]?.string, !prefix.isEmpty {
            name = prefix + String((0..<5).map { _ in "bcdfghjklmnpqrstvwxz2456789".randomElement()! })
        }
        let causes = Self.nameCauses(name, served) + Self.labelCauses(body, served)
        guard causes.isEmpty else {
            throw .invalid(kind: served.resource.kind, group: served.resource.group, name: name, causes: causes)
        }
        if let version = body.resourceVersion, !version.isEmpty {
            throw .internalError("resourceVersion should not be set on objects to be created")
        }
        let key = ObjectKey(namespace: namespace ?? "", name: name)
        try checkNamespaceExists(namespace, served)
        guard object(served, key) == nil else { throw .alreadyExists(served.resource, name: name) }
        var created = prepareForCreate(body, served, namespace: namespace, name: name, now: now)
        Self.recordUpdate(old: nil, new: &created, served, subresource: nil, manager: manager, now: now)
        let event = commit(served, key, created)
        return WriteResult(status: 201, object: event.object, event: event)
    }

    /// PUT of an object or its status: requires a matching `metadata.resourceVersion` when one is given.
    mutating func replace(_ served: ServedResource, _ key: ObjectKey, body: JSONValue, subresource: String?, manager: String,
                          now: String) throws(APIFailure) -> WriteResult {
        try Self.checkTypeMeta(body, served)
        let bodyName = body.name ?? ""
        guard bodyName == key.name else {
            throw .badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(key.name))")
        }
        if let bodyNamespace = body.namespace, !bodyNamespace.isEmpty, !key.namespace.isEmpty, bodyNamespace != key.namespace {
            throw .badRequest("the namespace of the object (\(bodyNamespace)) does not match the namespace on the URL (\(key.namespace))")
        }
        guard let old = object(served, key) else {
            if served.createsOnUpdate, subresource == nil, (body.resourceVersion ?? "").isEmpty {
                return try create(served, namespace: key.namespace.isEmpty ? nil : key.namespace, body: body, manager: manager, now: now)
            }
            throw .notFound(served.resource, name: key.name)
        }
        if let version = body.resourceVersion, !version.isEmpty, version != old.resourceVersion {
            throw .optimisticLock(served.resource, name: key.name)
        }
        return try update(served, key, old: old, proposed: body, subresource: subresource, manager: manager, now: now)
    }

    /// PATCH with a merge patch or a JSON patch: the patched object is then stored as a PUT would be.
    mutating func patch(_ served: ServedResource, _ key: ObjectKey, mediaType: String, body: [UInt8], subresource: String?,
                        manager: String, now: String) throws(APIFailure) -> WriteResult {
        guard let document = try? JSONValue.parse(body, what: "the patch") else {
            throw .badRequest("error decoding patch: invalid character in JSON")
        }
        guard let old = object(served, key) else { throw .notFound(served.resource, name: key.name) }
        let patched: JSONValue
        if mediaType == "application/json-patch+json" {
            do throws(JSONPatch.Failure) {
                patched = try JSONPatch(document).apply(to: old)
            } catch {
                switch error {
                case .malformed(let message): throw .badRequest(message)
                case .notApplicable(let message): throw APIFailure(code: 422, reason: "Invalid", message: message, details: [:])
                }
            }
        } else {
            guard document.object != nil else { throw .badRequest("json: cannot unmarshal into Go value of type map[string]interface {}") }
            patched = MergePatch.apply(document, to: old)
        }
        guard patched.object != nil else { throw .badRequest("the patch did not produce an object") }
        if patched.resourceVersion != old.resourceVersion {
            throw .optimisticLock(served.resource, name: key.name)
        }
        if let name = patched.name, name != key.name {
            throw .badRequest("the name of the object (\(name)) does not match the name on the URL (\(key.name))")
        }
        return try update(served, key, old: old, proposed: patched, subresource: subresource, manager: manager, now: now)
    }

    /// Stores `proposed` as the successor of `old` (no write when nothing changed), when its labels are valid.
    private mutating func update(_ served: ServedResource, _ key: ObjectKey, old: JSONValue, proposed: JSONValue, subresource: String?,
                                 manager: String, now: String) throws(APIFailure) -> WriteResult {
        var new = finishUpdate(old: old, proposed: proposed, served, subresource: subresource)
        try Self.checkLabels(new, served, name: key.name)
        Self.recordUpdate(old: old, new: &new, served, subresource: subresource, manager: manager, now: now)
        guard new != old else { return WriteResult(status: 200, object: old, event: nil) }
        let event = commit(served, key, new)
        return WriteResult(status: 200, object: event.object, event: event)
    }

    /// DELETE: checks `preconditions` and answers a Status Success naming the object.
    mutating func delete(_ served: ServedResource, _ key: ObjectKey, options: JSONValue?) throws(APIFailure) -> (JSONValue, StoredEvent) {
        guard let old = object(served, key) else { throw .notFound(served.resource, name: key.name) }
        let uid = old[path: ["metadata", "uid"]]?.string ?? ""
        if let expected = options?[path: ["preconditions", "uid"]]?.string, expected != uid {
            throw .conflict(served.resource, name: key.name, "Precondition failed: UID in precondition: \(expected), UID in object meta: \(uid)")
        }
        if let expected = options?[path: ["preconditions", "resourceVersion"]]?.string, expected != old.resourceVersion {
            throw .conflict(served.resource, name: key.name,
                            "Precondition failed: ResourceVersion in precondition: \(expected), ResourceVersion in object meta: \(old.resourceVersion ?? "")")
        }
        let event = commit(served, key, nil)
        var details = APIFailure.objectDetails(served.resource, name: key.name)
        details["uid"] = .string(uid)
        let status: JSONValue = ["kind": "Status", "apiVersion": "v1", "metadata": .object([:]), "status": "Success", "details": .object(details)]
        return (status, event)
    }
}
