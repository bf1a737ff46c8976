import KubeAPI
import TackCore
import Testing

@testable import TackKubernetes

@Suite("Service and HTTPRoute rendering")
struct RenderServiceTests {
    static let options = KubernetesWorkloadOptions(namespace: "prod")

    private func selectors(_ services: [JSONValue]) -> [String: JSONValue] {
        Dictionary(uniqueKeysWithValues: services.map { ($0.name ?? "", $0[path: ["spec", "selector"]] ?? .null) })
    }

    @Test("the canary Services select stable, canary, and both")
    func canaryServices() {
        let services = ServiceRenderer(options: Self.options).canaryServices(app: "web")
        #expect(services.map(\.name) == ["web-stable", "web-canary", "web"])
        #expect(selectors(services) == [
            "web-stable": ["app": "web", "track": "stable"], "web-canary": ["app": "web", "track": "canary"], "web": ["app": "web"],
        ])
    }

    @Test("the blue-green Services select the active and the preview color")
    func blueGreenServices() {
        let services = ServiceRenderer(options: Self.options).blueGreenServices(app: "web", active: .green)
        #expect(selectors(services) == [
            "web": ["app": "web", "tack.dev/color": "green"], "web-preview": ["app": "web", "tack.dev/color": "blue"],
        ])
    }

    @Test("a Service renders as the golden ClusterIP body from port 80 to the pods' http port")
    func serviceGolden() throws {
        let service = ServiceRenderer(options: Self.options).activeService(app: "web", color: .blue)
        #expect(try ObjectFixtures.matchesGolden(service, "rendered-service-active.json"))
        #expect(service.labels == ["app.kubernetes.io/name": "web", "app.kubernetes.io/managed-by": "tack", "app": "web"])
    }

    @Test("the HTTPRoute renders as the golden body with the split's weights")
    func routeGolden() throws {
        let parent = GatewayRef(namespace: "gateway-system", name: "public-gw", sectionName: "https")
        let route = HTTPRouteRenderer(options: Self.options).route(app: "web", parent: parent, split: .canary(20))
        #expect(try ObjectFixtures.matchesGolden(route, "rendered-httproute.json"))
    }

    @Test("the HTTPRoute always lists both backends, a track without traffic at weight 0")
    func routeWeights() throws {
        let parent = GatewayRef(namespace: "gateway-system", name: "public-gw")
        let route = HTTPRouteRenderer(options: Self.options).route(app: "web", parent: parent, split: .all(to: .stable))
        let rule = try #require(route[path: ["spec", "rules"]]?.array?.first)
        #expect(rule["backendRefs"] == [
            ["name": "web-stable", "port": 80, "weight": 100], ["name": "web-canary", "port": 80, "weight": 0],
        ])
        #expect(rule["matches"] == [["path": ["type": "PathPrefix", "value": "/"]]])
        #expect(route[path: ["spec", "parentRefs"]] == [["namespace": "gateway-system", "name": "public-gw"]])
    }

    @Test("a rendered route reads back as the split it was rendered from")
    func routeRoundTrip() {
        let parent = GatewayRef(namespace: "gateway-system", name: "public-gw")
        for weight in [0, 1, 10, 33, 50, 99, 100] {
            let route = HTTPRouteRenderer(options: Self.options).route(app: "web", parent: parent, split: .canary(weight))
            #expect(TrafficReader.byRoute(route, app: "web", available: [.stable: 1, .canary: 1]) == .canary(weight))
        }
    }
}
