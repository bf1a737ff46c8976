import KubeAPI

/// Server-side apply: the body is a manager's whole intent. Fields it sets that another manager owns
/// with a different value conflict (unless forced); fields it owned before and leaves out now are
/// removed unless someone else owns them; lists are atomic.
extension ObjectStore {
    /// PATCH with `application/apply-patch+yaml` (JSON bodies): 201 when it created the object, else 200.
    mutating func apply(_ served: ServedResource, _ key: ObjectKey, body: JSONValue, subresource: String?, manager: String,
                        force: Bool, now: String) throws(APIFailure) -> WriteResult {
        try Self.checkApplyBody(body, served, key)
        let intent = Self.ownedScope(body, served, subresource: subresource)
        let intentFields = FieldSet(leavesOf: intent)
        guard let old = object(served, key) else {
            guard subresource == nil else { throw .notFound(served.resource, name: key.name) }
            return try createByApply(served, key, body: body, fields: intentFields, manager: manager, now: now)
        }
        if let version = body.resourceVersion, !version.isEmpty, version != old.resourceVersion {
            throw .optimisticLock(served.resource, name: key.name)
        }
        var entries = ManagedFieldsEntry.entries(of: old)
        let mine = entries.firstIndex { $0.isSameOwner(manager: manager, operation: "Apply", subresource: subresource) }
        let previousFields = mine.map { entries[$0].fields } ?? FieldSet()

        // The value each field would have once applied (defaults included) decides whether it changes.
        var merged = old
        for path in intentFields.paths { Self.setLeaf(intent.value(at: path)!, at: path, in: &merged) }
        var scratch = self
        scratch.applyDefaults(to: &merged, old: old, served)
        var conflicts: [(entry: ManagedFieldsEntry, path: [String])] = []
        for path in intentFields.paths.sorted(by: { $0.lexicographicallyPrecedes($1) }) where merged.value(at: path) != old.value(at: path) {
            for (index, entry) in entries.enumerated() where index != mine && entry.fields.contains(path) {
                conflicts.append((entry, path))
                if force { entries[index].fields.remove(path) }
            }
        }
        if !conflicts.isEmpty, !force { throw Self.applyConflict(conflicts) }

        var proposed = old
        let othersFields = entries.indices.filter { $0 != mine }.reduce(FieldSet()) { $0.union(entries[$1].fields) }
        for path in previousFields.subtracting(intentFields).paths where !othersFields.contains(path) {
            proposed.removeValue(at: path)
        }
        for path in intentFields.paths { Self.setLeaf(intent.value(at: path)!, at: path, in: &proposed) }
        if let mine {
            if entries[mine].fields != intentFields {
                entries[mine].fields = intentFields
                entries[mine].time = now
            }
        } else {
            entries.append(ManagedFieldsEntry(manager: manager, operation: "Apply", apiVersion: served.resource.apiVersion, time: now,
                                              subresource: subresource, fields: intentFields))
        }
        Self.setEntries(entries, in: &proposed)
        let new = finishUpdate(old: old, proposed: proposed, served, subresource: subresource)
        try Self.checkLabels(new, served, name: key.name)
        guard new != old else { return WriteResult(status: 200, object: old, event: nil) }
        let event = commit(served, key, new)
        return WriteResult(status: 200, object: event.object, event: event)
    }

    /// An apply body must name its type, may not name another object, and carries no managedFields.
    private static func checkApplyBody(_ body: JSONValue, _ served: ServedResource, _ key: ObjectKey) throws(APIFailure) {
        guard body.object != nil else { throw .badRequest("the object provided is unrecognized (must be of type \(served.resource.kind))") }
        guard body["apiVersion"]?.string != nil else { throw .badRequest("Object 'apiVersion' is missing in '\(String(decoding: body.jsonBytes, as: UTF8.self))'") }
        guard body["kind"]?.string != nil else { throw .badRequest("Object 'Kind' is missing in '\(String(decoding: body.jsonBytes, as: UTF8.self))'") }
        try checkTypeMeta(body, served)
        if let name = body.name, name != key.name {
            throw .badRequest("the name of the object (\(name)) does not match the name on the URL (\(key.name))")
        }
        if let namespace = body.namespace, !namespace.isEmpty, namespace != key.namespace {
            throw .badRequest("the namespace of the object (\(namespace)) does not match the namespace on the URL (\(key.namespace))")
        }
        if body[path: ["metadata", "managedFields"]] != nil { throw .badRequest("metadata.managedFields must be nil") }
    }

    /// Apply to a missing object creates it, owned by the applier.
    private mutating func createByApply(_ served: ServedResource, _ key: ObjectKey, body: JSONValue, fields: FieldSet, manager: String,
                                        now: String) throws(APIFailure) -> WriteResult {
        let causes = Self.nameCauses(key.name, served) + Self.labelCauses(body, served)
        guard causes.isEmpty else { throw .invalid(kind: served.resource.kind, group: served.resource.group, name: key.name, causes: causes) }
        try checkNamespaceExists(key.namespace.isEmpty ? nil : key.namespace, served)
        var created = prepareForCreate(body, served, namespace: key.namespace.isEmpty ? nil : key.namespace, name: key.name, now: now)
        Self.setEntries([ManagedFieldsEntry(manager: manager, operation: "Apply", apiVersion: served.resource.apiVersion, time: now,
                                            subresource: nil, fields: fields)], in: &created)
        let event = commit(served, key, created)
        return WriteResult(status: 201, object: event.object, event: event)
    }

    /// Sets a leaf; an empty object does not wipe an object already there.
    private static func setLeaf(_ value: JSONValue, at path: [String], in object: inout JSONValue) {
        if value == .object([:]), object.value(at: path)?.object != nil { return }
        object.setValue(value, at: path)
    }

    /// The 409 of an apply conflict, worded as the apiserver's `getConflictMessage` words it.
    static func applyConflict(_ conflicts: [(entry: ManagedFieldsEntry, path: [String])]) -> APIFailure {
        let causes = conflicts.map {
            APIFailure.Cause(reason: "FieldManagerConflict", message: "conflict with \($0.entry.printed)", field: FieldSet.describe($0.path))
        }
        let message: String
        if conflicts.count == 1 {
            message = "Apply failed with 1 conflict: conflict with \(conflicts[0].entry.printed): \(FieldSet.describe(conflicts[0].path))"
        } else {
            let managers = Dictionary(grouping: conflicts, by: \.entry.printed)
            let lines = managers.keys.sorted().flatMap { manager in
                ["conflicts with \(manager):"] + managers[manager]!.map { "- \(FieldSet.describe($0.path))" }
            }
            message = "Apply failed with \(conflicts.count) conflicts: " + lines.joined(separator: "\n")
        }
        let details: [String: JSONValue] = [
            "causes": .array(causes.map { ["reason": .string($0.reason), "message": .string($0.message), "field": .string($0.field)] }),
        ]
        return APIFailure(code: 409, reason: "Conflict", message: message, details: details)
    }
}
