import KubeAPI
import TackCore

/// Renders the Gateway API HTTPRoute `<app>` that splits a canary application's traffic between
/// the Services `<app>-stable` and `<app>-canary` by weight.
struct HTTPRouteRenderer: Sendable {
    /// The account's options.
    var options: KubernetesWorkloadOptions

    /// The route attached to `parent`, with `split`'s stable and canary percentages as the two
    /// backends' weights (a weight of 0 sends that backend nothing).
    func route(app: String, parent: GatewayRef, split: TrafficSplit) -> JSONValue {
        let names = ObjectNames(app: app)
        var parentRef: JSONValue = ["namespace": .string(parent.namespace), "name": .string(parent.name)]
        if let section = parent.sectionName { parentRef["sectionName"] = .string(section) }
        let backends: [JSONValue] = [Track.stable, .canary].map { track in
            ["name": .string(names.service(track)), "port": 80, "weight": .count(split[track])]
        }
        let rule: JSONValue = [
            "matches": [["path": ["type": "PathPrefix", "value": "/"]]],
            "backendRefs": .array(backends),
        ]
        return [
            "apiVersion": .string(KubeResource.httpRoutes.apiVersion),
            "kind": .string(KubeResource.httpRoutes.kind),
            "metadata": .metadata(name: names.httpRoute, namespace: options.namespace, labels: ObjectLabels.common(app: app)),
            "spec": ["parentRefs": [parentRef], "rules": [rule]],
        ]
    }
}
