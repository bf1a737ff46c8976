/// A list answer: the objects, the collection's resourceVersion to watch from, and the token of the next page.
public struct KubeList: Sendable, Hashable {
    /// The objects.
    public var items: [JSONValue]
    /// The collection's resourceVersion when listed.
    public var resourceVersion: String
    /// The `continue` token of the next page; nil on the last.
    public var continueToken: String?

    /// A list.
    public init(items: [JSONValue], resourceVersion: String, continueToken: String?) {
        self.items = items
        self.resourceVersion = resourceVersion
        self.continueToken = continueToken
    }

    /// Decodes a `…List` object. The API server leaves `apiVersion` and `kind` out of the items of
    /// built-in lists; they are filled in from the list's (`DeploymentList` → `Deployment`), as
    /// client-go's unstructured decoding does, so listed objects look like watched ones.
    init(_ object: JSONValue) throws(KubeError) {
        guard let items = object["items"]?.array ?? (object["items"] == .null ? [] : nil) else {
            throw .decoding("a list answer has no items")
        }
        let apiVersion = object["apiVersion"]?.string
        let kind = object["kind"]?.string.flatMap { $0.hasSuffix("List") && $0.count > 4 ? String($0.dropLast(4)) : nil }
        self.items = items.map { item in
            guard item.object != nil else { return item }
            var item = item
            if item["apiVersion"]?.string == nil, let apiVersion { item["apiVersion"] = .string(apiVersion) }
            if item["kind"]?.string == nil, let kind { item["kind"] = .string(kind) }
            return item
        }
        resourceVersion = object[path: ["metadata", "resourceVersion"]]?.string ?? ""
        let token = object[path: ["metadata", "continue"]]?.string
        continueToken = token?.isEmpty == false ? token : nil
    }
}
