import Foundation
import Synchronization
import TackHTTP

/// A client of one Kubernetes API server over libcurl: typed Status errors, server-side apply,
/// client-side rate limiting, client-go's retry rules, fresh credentials on every request.
public final class KubeClient: Sendable {
    /// Where and who.
    public let connection: KubeConnection
    /// Pacing, retries and the field manager.
    public let options: KubeClientOptions
    let limiter: TokenBucket
    let transports: TransportCache
    let retried = Atomic<Int>(0)

    /// How many times a request was sent again (after a 429 or 5xx with Retry-After, or a broken
    /// connection), since the client was made.
    public var retries: Int { retried.load(ordering: .relaxed) }

    /// A client; throws when the connection's TLS material or proxy cannot be used.
    public init(connection: KubeConnection, options: KubeClientOptions = KubeClientOptions()) throws(KubeError) {
        var server = connection.server
        while server.hasSuffix("/") { server.removeLast() }
        var connection = connection
        connection.server = server
        self.connection = connection
        self.options = options
        limiter = TokenBucket(qps: options.qps, burst: options.burst)
        transports = TransportCache(connection: connection, options: options)
        try transports.validate()
    }

    /// Cancels open requests and watches and releases the libcurl handles; later requests fail
    /// as cancelled. Idempotent.
    public func shutdown() {
        transports.shutdown()
    }

    /// Whether `shutdown()` was called.
    public var isShutDown: Bool { transports.isShutDown }

    /// The namespace to use when a call names none.
    func namespace(_ namespace: String?, _ resource: KubeResource) -> String? {
        resource.isNamespaced ? (namespace ?? connection.namespace) : nil
    }
}

extension KubeClient {
    /// The object `name`.
    public func get(_ resource: KubeResource, name: String, namespace: String? = nil) async throws(KubeError) -> JSONValue {
        let path = resource.objectPath(namespace: self.namespace(namespace, resource), name: name)
        return try await json(.get, path: path)
    }

    /// The object `name`, or nil when it does not exist.
    public func getIfPresent(_ resource: KubeResource, name: String, namespace: String? = nil) async throws(KubeError) -> JSONValue? {
        do {
            return try await get(resource, name: name, namespace: namespace)
        } catch where error.reason == .notFound {
            return nil
        }
    }

    /// Creates `object`; 409 AlreadyExists when it exists.
    public func create(_ resource: KubeResource, _ object: JSONValue, namespace: String? = nil) async throws(KubeError) -> JSONValue {
        let path = resource.collectionPath(namespace: self.namespace(namespace ?? object.namespace, resource))
        return try await json(.post, path: path, body: object.jsonBytes, contentType: "application/json")
    }

    /// Replaces `object` (PUT); with `metadata.resourceVersion` set, 409 Conflict when it changed meanwhile.
    public func replace(_ resource: KubeResource, _ object: JSONValue, namespace: String? = nil) async throws(KubeError) -> JSONValue {
        guard let name = object.name else { throw .decoding("the object to replace has no metadata.name") }
        let path = resource.objectPath(namespace: self.namespace(namespace ?? object.namespace, resource), name: name)
        return try await json(.put, path: path, body: object.jsonBytes, contentType: "application/json")
    }

    /// Server-side apply of `object` (the fields Tack owns), as field manager `options.fieldManager`;
    /// creates the object when absent. `force` takes over fields another manager owns.
    public func apply(_ resource: KubeResource, _ object: JSONValue, namespace: String? = nil, force: Bool = true,
                      subresource: String? = nil) async throws(KubeError) -> JSONValue {
        guard let name = object.name else { throw .decoding("the object to apply has no metadata.name") }
        var path = resource.objectPath(namespace: self.namespace(namespace ?? object.namespace, resource), name: name)
        if let subresource { path += "/" + subresource }
        var query = [("fieldManager", options.fieldManager)]
        if force { query.append(("force", "true")) }
        return try await json(.patch, path: path, query: query, body: object.jsonBytes, contentType: "application/apply-patch+yaml")
    }

    /// A JSON merge patch (RFC 7386) of the object `name`.
    public func mergePatch(_ resource: KubeResource, name: String, _ patch: JSONValue, namespace: String? = nil,
                           subresource: String? = nil) async throws(KubeError) -> JSONValue {
        var path = resource.objectPath(namespace: self.namespace(namespace, resource), name: name)
        if let subresource { path += "/" + subresource }
        return try await json(.patch, path: path, body: patch.jsonBytes, contentType: "application/merge-patch+json")
    }

    /// Deletes the object `name` (dependents in the background); true when it existed.
    @discardableResult
    public func delete(_ resource: KubeResource, name: String, namespace: String? = nil) async throws(KubeError) -> Bool {
        let path = resource.objectPath(namespace: self.namespace(namespace, resource), name: name)
        do {
            _ = try await send(.delete, path: path, query: [("propagationPolicy", "Background")])
            return true
        } catch where error.reason == .notFound {
            return false
        }
    }

    /// One page of the collection: at most `limit` objects from `continueToken` on.
    public func listPage(_ resource: KubeResource, namespace: String? = nil, selector: ListSelector = ListSelector(),
                         limit: Int? = nil, continueToken: String? = nil) async throws(KubeError) -> KubeList {
        var query = selector.query
        if let limit { query.append(("limit", String(limit))) }
        if let continueToken { query.append(("continue", continueToken)) }
        let path = resource.collectionPath(namespace: self.namespace(namespace, resource))
        return try KubeList(try await json(.get, path: path, query: query))
    }

    /// The whole collection, page by page (`limit`/`continue`); the list's resourceVersion is
    /// the first page's, which the server keeps constant across pages. An expired continue token
    /// (410) restarts the list once from the beginning.
    public func list(_ resource: KubeResource, namespace: String? = nil, selector: ListSelector = ListSelector(),
                     pageSize: Int = 500) async throws(KubeError) -> KubeList {
        var restarted = false
        while true {
            do {
                var page = try await listPage(resource, namespace: namespace, selector: selector, limit: pageSize)
                var items = page.items
                let resourceVersion = page.resourceVersion
                while let token = page.continueToken {
                    page = try await listPage(resource, namespace: namespace, selector: selector, limit: pageSize, continueToken: token)
                    items += page.items
                }
                return KubeList(items: items, resourceVersion: resourceVersion, continueToken: nil)
            } catch where error.reason == .expired && !restarted {
                restarted = true
            }
        }
    }
}
