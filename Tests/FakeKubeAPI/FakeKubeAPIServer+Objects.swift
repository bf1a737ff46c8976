import KubeAPI

/// Direct access to stored objects, for arranging and checking tests without going through HTTP.
/// Writes behave as the HTTP verbs do (validation, resourceVersion, generation, watch events).
extension FakeKubeAPIServer {
    /// Serves another resource (namespaced unless `resource.isNamespaced` is false).
    public func register(_ resource: KubeResource, isCustomResource: Bool = true, hasStatusSubresource: Bool = true) {
        register(ServedResource(resource, isCustomResource: isCustomResource, hasStatusSubresource: hasStatusSubresource))
    }

    /// Serves another resource with explicit strategy behaviour.
    public func register(_ served: ServedResource) {
        core.state.withLock { $0.store.register(served) }
    }

    /// The stored object, if any.
    public func object(_ resource: KubeResource, namespace: String?, name: String) -> JSONValue? {
        core.state.withLock { state in
            state.store.served(group: resource.group, version: resource.version, plural: resource.plural)
                .flatMap { state.store.object($0, ObjectKey(namespace: namespace ?? "", name: name)) }
        }
    }

    /// The stored objects of a resource, in one namespace or all, in key order.
    public func objects(_ resource: KubeResource, namespace: String? = nil) -> [JSONValue] {
        core.state.withLock { state in
            guard let served = state.store.served(group: resource.group, version: resource.version, plural: resource.plural) else { return [] }
            return state.store.objects(of: served).filter { namespace == nil || $0.key.namespace == namespace }.sorted { $0.key < $1.key }.map(\.value)
        }
    }

    /// Creates an object as a POST by `manager` would; returns the stored object.
    @discardableResult
    public func create(_ resource: KubeResource, namespace: String?, _ object: JSONValue, manager: String = "fake-test") throws(FakeKubeAPIError) -> JSONValue {
        try write(resource) { (store: inout ObjectStore, served: ServedResource) throws(APIFailure) -> WriteResult in
            try store.create(served, namespace: namespace, body: object, manager: manager, now: ClusterCore.now())
        }
    }

    /// Replaces an object's status as a PUT to its status subresource by `manager` would.
    @discardableResult
    public func setStatus(_ resource: KubeResource, namespace: String?, name: String, _ status: JSONValue,
                          manager: String = "fake-test") throws(FakeKubeAPIError) -> JSONValue {
        try write(resource) { (store: inout ObjectStore, served: ServedResource) throws(APIFailure) -> WriteResult in
            let key = ObjectKey(namespace: namespace ?? "", name: name)
            guard var body = store.object(served, key) else { throw .notFound(served.resource, name: name) }
            body["status"] = status
            return try store.replace(served, key, body: body, subresource: served.hasStatusSubresource ? "status" : nil, manager: manager,
                                     now: ClusterCore.now())
        }
    }

    /// Changes an object with `change` and stores it as a PUT by `manager` would.
    @discardableResult
    public func update(_ resource: KubeResource, namespace: String?, name: String, manager: String = "fake-test",
                       _ change: (inout JSONValue) -> Void) throws(FakeKubeAPIError) -> JSONValue {
        try write(resource) { (store: inout ObjectStore, served: ServedResource) throws(APIFailure) -> WriteResult in
            let key = ObjectKey(namespace: namespace ?? "", name: name)
            guard var body = store.object(served, key) else { throw .notFound(served.resource, name: name) }
            change(&body)
            return try store.replace(served, key, body: body, subresource: nil, manager: manager, now: ClusterCore.now())
        }
    }

    /// Deletes an object as a DELETE would.
    public func delete(_ resource: KubeResource, namespace: String?, name: String) throws(FakeKubeAPIError) {
        _ = try write(resource) { (store: inout ObjectStore, served: ServedResource) throws(APIFailure) -> WriteResult in
            let (status, event) = try store.delete(served, ObjectKey(namespace: namespace ?? "", name: name), options: nil)
            return WriteResult(status: 200, object: status, event: event)
        }
    }

    private func write(_ resource: KubeResource,
                       _ body: (inout ObjectStore, ServedResource) throws(APIFailure) -> WriteResult) throws(FakeKubeAPIError) -> JSONValue {
        let result = core.state.withLock { state -> Result<JSONValue, APIFailure> in
            guard let served = state.store.served(group: resource.group, version: resource.version, plural: resource.plural) else {
                return .failure(.unknownPath)
            }
            do throws(APIFailure) {
                return .success(try state.write { (store: inout ObjectStore) throws(APIFailure) -> WriteResult in try body(&store, served) }.object)
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let object): return object
        case .failure(let failure): throw FakeKubeAPIError(failure)
        }
    }
}
