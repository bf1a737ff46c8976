import KubeAPI

/// The watch-fed caches of one namespace that a driver reads: Tack's Deployments, Services, pods
/// and (with Gateway API routing) HTTPRoutes, all selected by `app.kubernetes.io/managed-by=tack`.
final class WorkloadCache: Sendable {
    let deployments: Informer
    let services: Informer
    let pods: Informer
    let routes: Informer?

    init(client: KubeClient, namespace: String, watchesRoutes: Bool) {
        let selector = ListSelector.labels([ObjectLabels.managedBy: ObjectLabels.manager])
        deployments = Informer(client: client, resource: .deployments, namespace: namespace, selector: selector)
        services = Informer(client: client, resource: .services, namespace: namespace, selector: selector)
        pods = Informer(client: client, resource: .pods, namespace: namespace, selector: selector)
        routes = watchesRoutes ? Informer(client: client, resource: .httpRoutes, namespace: namespace, selector: selector) : nil
    }

    private var all: [Informer] { [deployments, services, pods] + (routes.map { [$0] } ?? []) }

    /// Starts the watches (once) and waits until each has listed.
    func start() async throws(KubeError) {
        for informer in all { informer.start() }
        for informer in all { try await informer.waitUntilSynced(timeout: .seconds(15)) }
    }

    /// Stops the watches.
    func stop() {
        for informer in all { informer.stop() }
    }

    /// The objects of `app`.
    func workload(app: String) -> ObservedWorkload {
        let names = ObjectNames(app: app)
        let mine = { (object: JSONValue) in object.labels[ObjectLabels.app] == app }
        return ObservedWorkload(
            app: app, deployments: deployments.objects.values.filter(mine), pods: pods.objects.values.filter(mine),
            service: services.object(named: names.service), route: routes?.object(named: names.httpRoute))
    }

    /// The informer holding `resource`.
    func informer(_ resource: KubeResource) -> Informer? {
        all.first { $0.resource == resource }
    }
}
