import Foundation
import KubeAPI

/// What the apiserver's registry strategies do to every written object: identity and system fields,
/// status kept apart from spec, defaults and the generation counter.
extension ObjectStore {
    /// Metadata the server owns; never part of a manager's fields.
    static let systemMetadata = ["name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp",
                                 "managedFields", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"]

    /// Rejects a body whose `apiVersion` or `kind` names another resource (both may be left out).
    static func checkTypeMeta(_ body: JSONValue, _ served: ServedResource) throws(APIFailure) {
        guard body.object != nil else {
            throw .badRequest("the object provided is unrecognized (must be of type \(served.resource.kind))")
        }
        if let apiVersion = body["apiVersion"]?.string, apiVersion != served.resource.apiVersion {
            throw .badRequest("the API version in the data (\(apiVersion)) does not match the expected API version (\(served.resource.apiVersion))")
        }
        if let kind = body["kind"]?.string, kind != served.resource.kind {
            throw .badRequest("the kind in the data (\(kind)) does not match the expected kind (\(served.resource.kind))")
        }
    }

    /// Refuses a create in a missing namespace, as the NamespaceLifecycle admission plugin does,
    /// when `requiresNamespaces` is on.
    func checkNamespaceExists(_ namespace: String?, _ served: ServedResource) throws(APIFailure) {
        guard requiresNamespaces, served.resource.isNamespaced, let namespace,
              object(.namespaces, ObjectKey(namespace: "", name: namespace)) == nil
        else { return }
        throw .notFound(ServedResource.namespaces.resource, name: namespace)
    }

    /// The `metadata.name` problems of a new object: required, and a DNS-1123 subdomain (a DNS-1035
    /// label for Services), as kube-apiserver validates them.
    static func nameCauses(_ name: String, _ served: ServedResource) -> [APIFailure.Cause] {
        if name.isEmpty {
            return [APIFailure.Cause(reason: "FieldValueRequired", message: "Required value: name or generateName is required", field: "metadata.name")]
        }
        let message: String?
        if served.resource == .services {
            message = isDNS1035Label(name) ? nil
                : "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
        } else {
            message = isDNS1123Subdomain(name) ? nil
                : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
        }
        return message.map { [APIFailure.Cause(reason: "FieldValueInvalid", message: "Invalid value: \"\(name)\": \($0)", field: "metadata.name")] } ?? []
    }

    /// Whether `name` is a lowercase RFC 1123 subdomain of at most 253 characters.
    static func isDNS1123Subdomain(_ name: String) -> Bool {
        name.utf8.count <= 253 && name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            guard let first = label.first, let last = label.last else { return false }
            return first.isLowercaseAlphanumeric && last.isLowercaseAlphanumeric
                && label.allSatisfy { $0.isLowercaseAlphanumeric || $0 == "-" }
        }
    }

    private static func isDNS1035Label(_ name: String) -> Bool {
        guard let first = name.first, let last = name.last, name.count <= 63 else { return false }
        return first.isASCII && first.isLowercase && last.isLowercaseAlphanumeric
            && name.allSatisfy { $0.isLowercaseAlphanumeric || $0 == "-" }
    }

    /// The part of an object managers own: no type or system metadata, and no status on the main
    /// resource (only status on the status subresource).
    static func ownedScope(_ object: JSONValue, _ served: ServedResource, subresource: String?) -> JSONValue {
        if subresource == "status" {
            return object["status"].map { .object(["status": $0]) } ?? .object([:])
        }
        var scoped = object
        scoped["apiVersion"] = nil
        scoped["kind"] = nil
        if served.hasStatusSubresource { scoped["status"] = nil }
        for field in systemMetadata { scoped.removeValue(at: ["metadata", field]) }
        if scoped["metadata"] == .object([:]) { scoped["metadata"] = nil }
        return scoped
    }

    /// A new object from a create request: type, identity and system fields set, status reset, defaults applied.
    mutating func prepareForCreate(_ body: JSONValue, _ served: ServedResource, namespace: String?, name: String, now: String) -> JSONValue {
        var object = body
        object["apiVersion"] = .string(served.resource.apiVersion)
        object["kind"] = .string(served.resource.kind)
        object.setValue(.string(name), at: ["metadata", "name"])
        if served.resource.isNamespaced, let namespace { object.setValue(.string(namespace), at: ["metadata", "namespace"]) }
        object.setValue(.string(UUID().uuidString.lowercased()), at: ["metadata", "uid"])
        object.setValue(.string(now), at: ["metadata", "creationTimestamp"])
        for field in ["resourceVersion", "generation", "managedFields", "deletionTimestamp", "selfLink"] {
            object.removeValue(at: ["metadata", field])
        }
        if served.generation != .none { object.setValue(1, at: ["metadata", "generation"]) }
        if served.hasStatusSubresource { object["status"] = Self.initialStatus(served) }
        applyDefaults(to: &object, old: nil, served)
        return object
    }

    /// The status a new object starts with, as the registry strategies reset it.
    private static func initialStatus(_ served: ServedResource) -> JSONValue {
        switch served.resource {
        case .services: ["loadBalancer": .object([:])]
        case .pods: ["phase": "Pending"]
        case ServedResource.namespaces.resource: ["phase": "Active"]
        default: .object([:])
        }
    }

    /// `proposed` made into the stored successor of `old`: identity kept, status kept from `old` (or
    /// only status taken, for the status subresource), defaults applied, generation bumped as the
    /// resource's strategy says.
    mutating func finishUpdate(old: JSONValue, proposed: JSONValue, _ served: ServedResource, subresource: String?) -> JSONValue {
        var new: JSONValue
        if subresource == "status" {
            new = old
            new["status"] = proposed["status"]
            if let managed = proposed[path: ["metadata", "managedFields"]] { new.setValue(managed, at: ["metadata", "managedFields"]) }
            return new
        }
        new = proposed
        new["apiVersion"] = .string(served.resource.apiVersion)
        new["kind"] = .string(served.resource.kind)
        for field in ["name", "namespace", "uid", "creationTimestamp", "resourceVersion", "generation", "deletionTimestamp"] {
            if let value = old[path: ["metadata", field]] {
                new.setValue(value, at: ["metadata", field])
            } else {
                new.removeValue(at: ["metadata", field])
            }
        }
        if served.hasStatusSubresource { new["status"] = old["status"] }
        applyDefaults(to: &new, old: old, served)
        if Self.bumpsGeneration(old: old, new: new, served.generation) {
            new.setValue(.integer(Int64((old.generation ?? 0) + 1)), at: ["metadata", "generation"])
        }
        return new
    }

    /// Whether the change from `old` to `new` bumps `metadata.generation` under `policy`.
    static func bumpsGeneration(old: JSONValue, new: JSONValue, _ policy: ServedResource.GenerationPolicy) -> Bool {
        switch policy {
        case .none:
            return false
        case .specAndAnnotations:
            return old["spec"] != new["spec"] || old[path: ["metadata", "annotations"]] != new[path: ["metadata", "annotations"]]
        case .allButMetadataAndStatus:
            var (oldContent, newContent) = (old, new)
            for key in ["metadata", "status"] {
                oldContent[key] = nil
                newContent[key] = nil
            }
            return oldContent != newContent
        }
    }

    /// Records an Update by `manager` in `object`'s managedFields: it takes the fields whose values
    /// it changed (from whoever owned them), and fields it removed leave every owner.
    static func recordUpdate(old: JSONValue?, new object: inout JSONValue, _ served: ServedResource, subresource: String?,
                             manager: String, now: String) {
        let before = old.map { ownedScope($0, served, subresource: subresource) } ?? .object([:])
        let after = ownedScope(object, served, subresource: subresource)
        let afterFields = FieldSet(leavesOf: after)
        let changed = FieldSet(afterFields.paths.filter { before.value(at: $0) != after.value(at: $0) })
        let removed = FieldSet(leavesOf: before).subtracting(afterFields)
        var entries = old.map(ManagedFieldsEntry.entries) ?? []
        for index in entries.indices {
            entries[index].fields = entries[index].fields.subtracting(changed).subtracting(removed)
        }
        if !changed.isEmpty {
            if let mine = entries.firstIndex(where: { $0.isSameOwner(manager: manager, operation: "Update", subresource: subresource) }) {
                entries[mine].fields = entries[mine].fields.union(changed)
                entries[mine].time = now
            } else {
                entries.append(ManagedFieldsEntry(manager: manager, operation: "Update", apiVersion: served.resource.apiVersion,
                                                  time: now, subresource: subresource, fields: changed))
            }
        }
        setEntries(entries, in: &object)
    }

    /// Writes `entries` (without empty ones) as `metadata.managedFields`.
    static func setEntries(_ entries: [ManagedFieldsEntry], in object: inout JSONValue) {
        let kept = entries.filter { !$0.fields.isEmpty }
        if kept.isEmpty {
            object.removeValue(at: ["metadata", "managedFields"])
        } else {
            object.setValue(.array(kept.map(\.json)), at: ["metadata", "managedFields"])
        }
    }
}

extension Character {
    /// `a`-`z` or `0`-`9`.
    var isLowercaseAlphanumeric: Bool {
        isASCII && (isLowercase || isNumber)
    }
}
