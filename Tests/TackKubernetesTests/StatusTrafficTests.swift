import KubeAPI
import TackCore
import Testing

@testable import TackKubernetes

@Suite("traffic split read from the cluster")
struct StatusTrafficTests {
    @Test(
        "replica routing splits by available replicas, rounding the canary's share as the plan does",
        arguments: [
            (3, 1, [Track.stable: 75, .canary: 25]),
            (7, 1, [.stable: 87, .canary: 13]),
            (1, 7, [.stable: 12, .canary: 88]),
            (2, 1, [.stable: 67, .canary: 33]),
            (4, 0, [.stable: 100]),
            (0, 2, [.canary: 100]),
            (0, 0, [:]),
        ])
    func byReplicas(_ stable: Int, _ canary: Int, _ expected: [Track: Int]) {
        #expect(TrafficReader.byReplicas(available: [.stable: stable, .canary: canary]) == TrafficSplit(expected))
    }

    @Test("replica shares always add up to 100")
    func byReplicasSumsTo100() {
        for stable in 0...12 {
            for canary in 0...12 where stable + canary > 0 {
                let split = TrafficReader.byReplicas(available: [.stable: stable, .canary: canary])
                #expect(split[.stable] + split[.canary] == 100)
            }
        }
    }

    @Test("an HTTPRoute's weights are shares of their sum, in percent")
    func byRoute() throws {
        let route = try ObjectFixtures.load("httproute-weighted.json")
        #expect(TrafficReader.byRoute(route, app: "web", available: [.stable: 3, .canary: 1]) == TrafficSplit([.stable: 90, .canary: 10]))
    }

    @Test("a routed track without available replicas gets none and the rest is re-normalised")
    func byRouteWithoutReplicas() throws {
        let route = try ObjectFixtures.load("httproute-weighted.json")
        #expect(TrafficReader.byRoute(route, app: "web", available: [.stable: 3, .canary: 0]) == .all(to: .stable))
        #expect(TrafficReader.byRoute(route, app: "web", available: [.stable: 3]) == .all(to: .stable))
        #expect(TrafficReader.byRoute(route, app: "web", available: [:]) == TrafficSplit([:]))
    }

    @Test("an unset weight counts 1, a weight of 0 sends nothing, a missing route sends nothing")
    func byRouteDefaults() {
        let route: JSONValue = [
            "spec": ["rules": [["backendRefs": [["name": "web-stable", "port": 80], ["name": "web-canary", "port": 80, "weight": 0]]]]],
        ]
        let both: [Track: Int] = [.stable: 1, .canary: 1]
        #expect(TrafficReader.byRoute(route, app: "web", available: both) == .all(to: .stable))
        let unset: JSONValue = ["spec": ["rules": [["backendRefs": [["name": "web-stable"], ["name": "web-canary"]]]]]]
        #expect(TrafficReader.byRoute(unset, app: "web", available: both) == TrafficSplit([.stable: 50, .canary: 50]))
        #expect(TrafficReader.byRoute(nil, app: "web", available: both) == TrafficSplit([:]))
    }

    @Test("another backend in the rule keeps its share; other rules and kinds are not Tack's")
    func byRouteForeignBackends() {
        let route: JSONValue = [
            "spec": [
                "rules": [
                    ["matches": [["path": ["type": "PathPrefix", "value": "/admin"]]], "backendRefs": [["name": "admin", "weight": 5]]],
                    [
                        "backendRefs": [
                            ["name": "web-stable", "weight": 50], ["name": "web-canary", "weight": 25],
                            ["name": "web-canary", "kind": "ServiceImport", "group": "multicluster.x-k8s.io", "weight": 25],
                        ],
                    ],
                ],
            ],
        ]
        #expect(TrafficReader.byRoute(route, app: "web", available: [.stable: 1, .canary: 1]) == TrafficSplit([.stable: 50, .canary: 25]))
    }

    @Test("blue-green sends everything to the track whose color the Service selects")
    func blueGreen() throws {
        let service = try ObjectFixtures.load("service-active-green.json")
        let green = try #require(ObservedDeployment(try ObjectFixtures.load("deployment-green-promoted.json")))
        var blue = try #require(ObservedDeployment(try ObjectFixtures.load("deployment-blue-active.json")))
        blue.track = .preview
        #expect(TrafficReader.blueGreen(activeService: service, deployments: [blue, green]) == .all(to: .active))
        var preview = green
        preview.track = .preview
        blue.track = .active
        #expect(TrafficReader.blueGreen(activeService: service, deployments: [blue, preview]) == .all(to: .preview))
    }

    @Test("blue-green sends nothing when the selected color has no available replicas or no Deployment")
    func blueGreenWithoutReplicas() throws {
        let service = try ObjectFixtures.load("service-active-green.json")
        var green = try ObjectFixtures.load("deployment-green-promoted.json")
        green["status"]?["availableReplicas"] = 0
        let blue = try #require(ObservedDeployment(try ObjectFixtures.load("deployment-blue-active.json")))
        #expect(TrafficReader.blueGreen(activeService: service, deployments: [try #require(ObservedDeployment(green))]) == TrafficSplit([:]))
        #expect(TrafficReader.blueGreen(activeService: service, deployments: [blue]) == TrafficSplit([:]))
        #expect(TrafficReader.blueGreen(activeService: nil, deployments: [blue]) == TrafficSplit([:]))
    }

    @Test("a promotion caught half-way keeps the color the Service selects as active")
    func halfPromoted() throws {
        let workload = ObservedWorkload(
            app: "web",
            deployments: [try ObjectFixtures.load("deployment-blue-active.json"), try ObjectFixtures.load("deployment-green-promoted.json")],
            pods: [], service: try ObjectFixtures.load("service-active-green.json"), route: nil)
        let status = workload.status(routing: .replicas)
        #expect(status.tracks.map(\.track) == [.active])
        #expect(status[.active]?.image.tag == "v2")
        #expect(status.traffic == .all(to: .active))
    }

    @Test("gateway routing reads the HTTPRoute for a canary application")
    func workloadByRoute() throws {
        let workload = ObservedWorkload(
            app: "web",
            deployments: [try ObjectFixtures.load("deployment-rolled-out.json"), try ObjectFixtures.load("deployment-canary.json")],
            pods: [], service: nil, route: try ObjectFixtures.load("httproute-weighted.json"))
        let status = workload.status(routing: .gatewayAPI(parent: GatewayRef(namespace: "gateway-system", name: "public-gw")))
        #expect(status.traffic == TrafficSplit([.stable: 90, .canary: 10]))
    }

    @Test("nothing deployed means no tracks and no traffic")
    func empty() {
        let status = ObservedWorkload(app: "web", deployments: [], pods: [], service: nil, route: nil).status(routing: .replicas)
        #expect(status == WorkloadStatus(app: "web", tracks: [], traffic: TrafficSplit([:])))
    }
}
