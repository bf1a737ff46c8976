import Foundation
import KubeAPI

/// LIST with selectors and pages: `limit` and an opaque `continue` token that keeps the first page's
/// resourceVersion, so every page comes from one consistent snapshot.
extension ObjectStore {
    /// A `continue` token: the snapshot revision (-1 for "now") and the last key served.
    struct ContinueToken: Codable {
        var v = "meta.k8s.io/v1"
        var rv: Int
        var start: String
    }

    /// The list object for a GET on a collection.
    func list(_ served: ServedResource, namespace: String?, query: QueryParameters) throws(APIFailure) -> JSONValue {
        let labels = try LabelSelector(parsing: query["labelSelector"] ?? "")
        let fields = try FieldSelector(parsing: query["fieldSelector"] ?? "", for: served)
        let limit = max(Int(query["limit"] ?? "") ?? 0, 0)
        let requestedVersion = query["resourceVersion"] ?? ""
        var listRevision = revision
        var after: ObjectKey?
        var snapshot = objects(of: served)
        if let token = query["continue"], !token.isEmpty {
            guard requestedVersion.isEmpty || requestedVersion == "0" else {
                throw .badRequest("specifying resource version is not allowed when using continue")
            }
            let decoded = try Self.decodeContinue(token)
            after = decoded.after
            if decoded.revision >= 0 {
                guard let rewound = self.snapshot(of: served, at: decoded.revision) else {
                    var failure = APIFailure.expired(
                        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.")
                    failure.continueToken = Self.encodeContinue(revision: -1, after: decoded.after)
                    throw failure
                }
                snapshot = rewound
                listRevision = decoded.revision
            }
        } else if !requestedVersion.isEmpty, requestedVersion != "0", limit > 0 || query["resourceVersionMatch"] == "Exact" {
            guard let exact = Int(requestedVersion) else { throw .badRequest("invalid resource version \"\(requestedVersion)\"") }
            guard let rewound = self.snapshot(of: served, at: exact) else { throw .expired("The resourceVersion for the provided list is too old.") }
            snapshot = rewound
            listRevision = exact
        }
        let matching = snapshot.filter { key, object in
            (namespace == nil || key.namespace == namespace) && (after.map { key > $0 } ?? true) && labels.matches(object.labels) && fields.matches(object)
        }.sorted { $0.key < $1.key }
        let page = limit > 0 ? Array(matching.prefix(limit)) : matching
        var metadata: [String: JSONValue] = ["resourceVersion": .string(String(listRevision))]
        if page.count < matching.count, let last = page.last {
            metadata["continue"] = .string(Self.encodeContinue(revision: listRevision, after: last.key))
            if labels.requirements.isEmpty, fields.terms.isEmpty {
                metadata["remainingItemCount"] = .integer(Int64(matching.count - page.count))
            }
        }
        let items = page.map { _, object -> JSONValue in
            guard !served.isCustomResource else { return object }
            var item = object
            item["apiVersion"] = nil
            item["kind"] = nil
            return item
        }
        return ["apiVersion": .string(served.resource.apiVersion), "kind": .string(served.listKind), "metadata": .object(metadata), "items": .array(items)]
    }

    static func encodeContinue(revision: Int, after key: ObjectKey) -> String {
        let token = ContinueToken(rv: revision, start: key.namespace + "/" + key.name)
        return ((try? JSONEncoder().encode(token)) ?? Data()).base64EncodedString()
    }

    static func decodeContinue(_ text: String) throws(APIFailure) -> (revision: Int, after: ObjectKey) {
        guard let data = Data(base64Encoded: text), let token = try? JSONDecoder().decode(ContinueToken.self, from: data),
              let slash = token.start.firstIndex(of: "/")
        else { throw .badRequest("continue key is not valid: the continue token could not be decoded") }
        return (token.rv, ObjectKey(namespace: String(token.start[..<slash]), name: String(token.start[token.start.index(after: slash)...])))
    }
}
