/// The history of stored changes, for tests that check the order of states a client went through.
extension FakeKubeAPIServer {
    /// Every change still in the history (the newest `historyLimit`), oldest first: writes over
    /// HTTP, the deployment controller's status writes and test hooks alike.
    public var changes: [ObjectChange] {
        core.state.withLock { state in
            state.store.history.compactMap { event in
                guard let served = state.store.served(resourceID: event.resourceID) else { return nil }
                return ObjectChange(type: event.type, resource: served.resource, namespace: event.key.namespace, name: event.key.name,
                                    object: event.object, revision: event.revision)
            }
        }
    }
}

extension ObjectStore {
    /// The resource stored under `resourceID` (its cluster-wide collection path).
    fileprivate func served(resourceID: String) -> ServedResource? {
        resources[resourceID]
    }
}
