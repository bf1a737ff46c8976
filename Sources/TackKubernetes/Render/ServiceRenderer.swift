import KubeAPI
import TackCore

/// Renders an application's ClusterIP Services (port 80 to the pods' `http` port) as
/// server-side-apply bodies.
struct ServiceRenderer: Sendable {
    /// The account's options.
    var options: KubernetesWorkloadOptions

    /// The canary strategy's Services: `<app>-stable`, `<app>-canary`, and `<app>` selecting both
    /// (which then share traffic by replica ratio).
    func canaryServices(app: String) -> [JSONValue] {
        let names = ObjectNames(app: app)
        return [
            service(app: app, name: names.service(.stable), selector: [ObjectLabels.app: app, ObjectLabels.track: "stable"]),
            service(app: app, name: names.service(.canary), selector: [ObjectLabels.app: app, ObjectLabels.track: "canary"]),
            service(app: app, name: names.service, selector: [ObjectLabels.app: app]),
        ]
    }

    /// The blue-green Services: `<app>` selecting the `active` color's pods, `<app>-preview` the other's.
    func blueGreenServices(app: String, active: BlueGreenColor) -> [JSONValue] {
        [activeService(app: app, color: active), previewService(app: app, color: active.other)]
    }

    /// `<app>`, selecting the pods of `color`: switching it is a blue-green promotion or rollback.
    func activeService(app: String, color: BlueGreenColor) -> JSONValue {
        service(app: app, name: ObjectNames(app: app).service(.active), selector: colorSelector(app: app, color))
    }

    /// `<app>-preview`, selecting the pods of `color`.
    func previewService(app: String, color: BlueGreenColor) -> JSONValue {
        service(app: app, name: ObjectNames(app: app).service(.preview), selector: colorSelector(app: app, color))
    }

    /// A ClusterIP Service named `name` selecting `selector`.
    func service(app: String, name: String, selector: [String: String]) -> JSONValue {
        let port: JSONValue = ["name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"]
        return [
            "apiVersion": .string(KubeResource.services.apiVersion),
            "kind": .string(KubeResource.services.kind),
            "metadata": .metadata(name: name, namespace: options.namespace, labels: ObjectLabels.common(app: app)),
            "spec": ["type": "ClusterIP", "selector": .strings(selector), "ports": [port]],
        ]
    }

    /// `{app, tack.dev/color}`.
    private func colorSelector(app: String, _ color: BlueGreenColor) -> [String: String] {
        [ObjectLabels.app: app, ObjectLabels.color: color.rawValue]
    }
}
