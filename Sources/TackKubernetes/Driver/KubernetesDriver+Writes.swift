import KubeAPI
import TackCore

extension KubernetesDriver {
    /// Server-side applies `object` and records the answer in the cache.
    func apply(_ resource: KubeResource, _ object: JSONValue) async throws {
        let applied = try await client.apply(resource, object, namespace: options.namespace)
        cache.informer(resource)?.record(applied)
    }

    /// Merge-patches the object `name` and records the answer in the cache.
    func patch(_ resource: KubeResource, name: String, _ patch: JSONValue) async throws {
        let patched = try await client.mergePatch(resource, name: name, patch, namespace: options.namespace)
        cache.informer(resource)?.record(patched)
    }

    /// Deletes the object `name` (absent is fine) and drops it from the cache.
    func remove(_ resource: KubeResource, name: String) async throws {
        try await client.delete(resource, name: name, namespace: options.namespace)
        cache.informer(resource)?.forget(name: name)
    }

    /// Applies each object that the cache does not hold yet, or holds with another `spec.selector`.
    func ensure(_ resource: KubeResource, _ objects: [JSONValue]) async throws {
        for object in objects {
            guard let name = object.name else { continue }
            let existing = cache.informer(resource)?.object(named: name)
            if existing == nil || existing?[path: ["spec", "selector"]] != object[path: ["spec", "selector"]] {
                try await apply(resource, object)
            }
        }
    }
}
