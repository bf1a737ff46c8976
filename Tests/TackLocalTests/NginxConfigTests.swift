import Foundation
import TackCore
import Testing

@testable import TackLocal

/// The rendered nginx.conf and the weights in it; checked against a golden file and by `nginx -t`.
@Suite("NginxConfig")
struct NginxConfigTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/traffic").path

    /// A route with `stable` and `canary` replicas on ports 9001... (canary after stable); `unready` ports are not ready.
    static func route(stable: Int, canary: Int, split: TrafficSplit, unready: Set<Int> = []) -> Route {
        let tracks = Array(repeating: Track.stable, count: stable) + Array(repeating: Track.canary, count: canary)
        let backends = tracks.enumerated().map { index, track in
            Route.Backend(track: track, version: track == .stable ? "v1" : "v2", port: 9001 + index, isReady: !unready.contains(9001 + index))
        }
        return Route(account: "prod", app: "chat", port: 8080, backends: backends, split: split)
    }

    @Test(
        "a track's weight is split evenly over its ready replicas with integer weights in exact proportion",
        arguments: [
            (NginxConfigTests.route(stable: 1, canary: 1, split: .all(to: .stable)), [1]),
            (NginxConfigTests.route(stable: 1, canary: 1, split: .canary(25)), [3, 1]),
            (NginxConfigTests.route(stable: 3, canary: 1, split: .canary(10)), [3, 3, 3, 1]),
            (NginxConfigTests.route(stable: 2, canary: 3, split: .canary(50)), [3, 3, 2, 2, 2]),
            (NginxConfigTests.route(stable: 2, canary: 1, split: .canary(33)), [67, 67, 66]),
            (NginxConfigTests.route(stable: 2, canary: 1, split: .canary(10), unready: [9003]), [1, 1]),
            (NginxConfigTests.route(stable: 2, canary: 1, split: .canary(10), unready: [9001]), [9, 1]),
            (NginxConfigTests.route(stable: 1, canary: 1, split: .canary(10), unready: [9001, 9002]), []),
            (NginxConfigTests.route(stable: 0, canary: 0, split: .canary(10)), []),
        ])
    func replicaWeights(route: Route, expected: [Int]) {
        #expect(route.replicaWeights.map { $0.weight } == expected)
        #expect(route.replicaWeights.allSatisfy { $0.backend.isReady && route.split[$0.backend.track] > 0 })
    }

    @Test("the preview listener routes to the ready preview replicas alone, evenly, whatever the split")
    func previewWeights() {
        let shop = Self.goldenRoutes[1]
        #expect(shop.previewWeights.map { $0.backend.port } == [9202, 9203])
        #expect(shop.previewWeights.allSatisfy { $0.weight == 1 })
        #expect(shop.replicaWeights.map { $0.backend.port } == [9201], "the main listener follows the split")
        #expect(Self.goldenRoutes[2].previewWeights.isEmpty)
    }

    @Test("the rendered configuration matches the golden file")
    func golden() throws {
        let config = NginxConfig(prefix: "/var/lib/tack/router", controlPort: 9000, workerUser: "nobody nogroup")
        let text = config.render(routes: Self.goldenRoutes, generation: 7)
        let path = Self.fixtures + "/nginx.conf.golden"
        if ProcessInfo.processInfo.environment["TACK_UPDATE_GOLDEN"] != nil {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        #expect(text == (try String(contentsOfFile: path, encoding: .utf8)))
        #expect(config.render(routes: Self.goldenRoutes.reversed(), generation: 7) == text, "route order does not matter")
        let header = try #require(NginxConfig.header(of: text))
        #expect(header.generation == 7 && header.controlPort == 9000)
    }

    @Test("nginx accepts the rendered configuration, whatever the names hold")
    func nginxAccepts() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tack-nginx-config-\(UUID().uuidString)").path
        for sub in ["/logs", "/temp"] { try FileManager.default.createDirectory(atPath: directory + sub, withIntermediateDirectories: true) }
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var hostile = Self.route(stable: 1, canary: 1, split: .canary(5))
        hostile.account = "a\"c$count; }"
        hostile.app = "{web app}"
        hostile.port = 8081
        hostile.backends[1].version = "v2\"; return 200 \"owned"
        let config = NginxConfig(prefix: directory, controlPort: 9000, workerUser: geteuid() == 0 ? "nobody nogroup" : nil)
        let text = config.render(routes: Self.goldenRoutes + [hostile], generation: 1)
        try text.write(toFile: config.path, atomically: true, encoding: .utf8)
        let result = try await ChildProcess.run("/usr/sbin/nginx", ["-t", "-p", directory + "/", "-c", config.path, "-e", "stderr"])
        #expect(result.stderr.contains("test is successful"), "\(result.stderr)")
        #expect(!result.stderr.contains("[warn]"), "\(result.stderr)")
        #expect(text.contains("return 503 \"no replica of staging/api can take traffic\\n\";"))
        #expect(text.contains("return 503 \"no preview replica of staging/api can take traffic\\n\";"))
        #expect(text.contains("8081 \"a_c_count___/_web_app_\";"))
    }

    @Test("routes that share a listener, or name one app twice, are refused before nginx sees them")
    func conflictingRoutes() {
        let route = Self.route(stable: 1, canary: 0, split: .all(to: .stable))
        var other = route
        other.app = "api"
        #expect(throws: LocalRuntimeError.invalidRoute(route: "prod/api", reason: "port 8080 is already the listener of prod/chat")) {
            try NginxRouter.validate([route, other], controlPort: 9000)
        }
        other.port = 8081
        #expect(throws: LocalRuntimeError.invalidRoute(route: "prod/chat", reason: "it is given twice")) {
            try NginxRouter.validate([route, other, route], controlPort: 9000)
        }
        #expect(throws: LocalRuntimeError.invalidRoute(route: "prod/chat", reason: "port 8080 is already the listener of the router's control server")) {
            try NginxRouter.validate([route], controlPort: 8080)
        }
        #expect(throws: Never.self) { try NginxRouter.validate([route, other], controlPort: 9000) }
        other.previewPort = 8080
        #expect(throws: LocalRuntimeError.invalidRoute(route: "prod/api", reason: "port 8080 is already the listener of prod/chat")) {
            try NginxRouter.validate([route, other], controlPort: 9000)
        }
        other.previewPort = 8081
        #expect(throws: LocalRuntimeError.invalidRoute(route: "prod/api", reason: "port 8081 is already the listener of prod/api")) {
            try NginxRouter.validate([route, other], controlPort: 9000)
        }
    }

    /// prod/chat at 90/10 over three stable replicas (one not ready) and one canary; prod/shop in
    /// blue-green, all traffic to active, with two ready preview replicas behind its preview
    /// listener; staging/api with no ready replica and no preview.
    static let goldenRoutes = [
        route(stable: 3, canary: 1, split: .canary(10), unready: [9002]),
        Route(
            account: "prod", app: "shop", port: 8070,
            backends: [
                Route.Backend(track: .preview, version: "v2", port: 9203),
                Route.Backend(track: .active, version: "v1", port: 9201),
                Route.Backend(track: .preview, version: "v2", port: 9202),
            ],
            split: .all(to: .active), previewPort: 8071),
        Route(
            account: "staging", app: "api", port: 8090,
            backends: [Route.Backend(track: .stable, version: "sha256:4f2a", port: 9101, isReady: false)],
            split: .all(to: .stable), previewPort: 8091),
    ]
}
