import KubeAPI

/// One `metadata.managedFields` entry: a manager, how it wrote (Apply or Update), and the fields it owns.
struct ManagedFieldsEntry: Sendable, Hashable {
    var manager: String
    /// `Apply` or `Update`.
    var operation: String
    var apiVersion: String
    var time: String
    /// `status` for writes through the status subresource, nil for the main resource.
    var subresource: String?
    var fields: FieldSet

    /// Reads an entry from an object's `metadata.managedFields`.
    init?(_ json: JSONValue) {
        guard let manager = json["manager"]?.string, let operation = json["operation"]?.string else { return nil }
        self.manager = manager
        self.operation = operation
        apiVersion = json["apiVersion"]?.string ?? ""
        time = json["time"]?.string ?? ""
        subresource = json["subresource"]?.string
        fields = FieldSet(fieldsV1: json["fieldsV1"] ?? .object([:]))
    }

    /// An entry.
    init(manager: String, operation: String, apiVersion: String, time: String, subresource: String?, fields: FieldSet) {
        self.manager = manager
        self.operation = operation
        self.apiVersion = apiVersion
        self.time = time
        self.subresource = subresource
        self.fields = fields
    }

    /// The entry as JSON.
    var json: JSONValue {
        var members: [String: JSONValue] = [
            "manager": .string(manager), "operation": .string(operation), "apiVersion": .string(apiVersion),
            "time": .string(time), "fieldsType": "FieldsV1", "fieldsV1": fields.fieldsV1,
        ]
        if let subresource { members["subresource"] = .string(subresource) }
        return .object(members)
    }

    /// Whether `other` is the same owner: same manager, operation and subresource.
    func isSameOwner(manager: String, operation: String, subresource: String?) -> Bool {
        self.manager == manager && self.operation == operation && self.subresource == subresource
    }

    /// The manager as conflict messages print it: `"name"`, plus ` with subresource "status"`, plus
    /// ` using apps/v1 at <time>` for an Update.
    var printed: String {
        var text = "\"\(manager)\""
        if let subresource { text += " with subresource \"\(subresource)\"" }
        if operation == "Update" { text += " using \(apiVersion)" + (time.isEmpty ? "" : " at \(time)") }
        return text
    }

    /// The entries of `object`.
    static func entries(of object: JSONValue) -> [ManagedFieldsEntry] {
        (object[path: ["metadata", "managedFields"]]?.array ?? []).compactMap(ManagedFieldsEntry.init)
    }
}
