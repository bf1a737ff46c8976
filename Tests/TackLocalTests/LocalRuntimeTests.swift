import Foundation
import TackCore
import TackHTTP
import Synchronization
import Testing

@testable import TackLocal

/// The local runtime end to end on this machine: real runc containers (or plain processes where
/// runc cannot run), the real nginx router and the real embedded Prometheus, in a state directory
/// of the test's own that `down()` empties whether the test passes or fails.
@Suite("LocalRuntime", .serialized)
struct LocalRuntimeTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/runtime/app.py").path

    /// A runtime in a fresh state directory with the fixture image imported as `app:v1`, `app:v2`
    /// and `app:crashy` (one that exits at start).
    final class Harness: Sendable {
        let home: RuntimeHome
        let runtime: LocalRuntime
        let http: CurlHTTPClient
        let announcements = Announcements()

        init(selection: ContainerRuntimeSelection = .detect()) throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tack-runtime-\(UUID().uuidString.prefix(8))").path
            home = RuntimeHome(path: directory)
            let announcements = announcements
            runtime = try LocalRuntime(
                home: home, selection: selection,
                planner: ReplicaPlanner(backoff: RestartBackoff(initial: .milliseconds(500), maximum: .seconds(2)), terminationGrace: .seconds(5)),
                announce: { announcements.append($0) })
            http = try CurlHTTPClient()
            let rootfs = directory + "/staging"
            try FileManager.default.createDirectory(atPath: rootfs + "/app", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: LocalRuntimeTests.fixture, toPath: rootfs + "/app/app.py")
            let store = LocalImageStore(root: home.images)
            for (tag, env) in [("v1", ["APP_VERSION": "v1"]), ("v2", ["APP_VERSION": "v2"]), ("crashy", ["APP_VERSION": "crashy", "CRASH_AT_START": "1"])] {
                let manifest = LocalImageManifest(
                    name: "app", entrypoint: ["/usr/bin/python3", "/app/app.py"], env: env, user: "65532:65532",
                    writable: ["/data"], readiness: "/readyz")
                _ = try store.importImage(rootfs: rootfs, manifest: manifest, name: "app", tag: tag)
            }
        }

        static func with(selection: ContainerRuntimeSelection = .detect(), _ body: (Harness) async throws -> Void) async throws {
            let harness = try Harness(selection: selection)
            do {
                try await body(harness)
            } catch {
                await harness.tearDown()
                throw error
            }
            await harness.tearDown()
        }

        func tearDown() async {
            try? await runtime.down(grace: .seconds(2))
            http.shutdown()
            try? FileManager.default.removeItem(atPath: home.path)
        }

        func image(_ tag: String) -> ImageRef { try! ImageRef(parsing: "app:\(tag)") }

        /// Runs passes until `condition` holds on the account's status (at most `timeout`).
        @discardableResult
        func converge(
            account: String = "aws", app: String = "web", timeout: Duration = .seconds(20),
            until condition: (WorkloadStatus) -> Bool
        ) async throws -> WorkloadStatus {
            let deadline = ContinuousClock.now + timeout
            while true {
                try await runtime.pass()
                let status = try await runtime.status(account: account, app: app)
                if condition(status) { return status }
                guard ContinuousClock.now < deadline else {
                    Issue.record("did not converge within \(timeout): \(status)")
                    return status
                }
                try await Task.sleep(for: .milliseconds(200))
            }
        }

        /// GETs `/` on the application's listener `count` times; the answers' versions counted.
        func versions(account: String = "aws", app: String = "web", count: Int) async throws -> [String: Int] {
            try await versions(at: try #require(try await runtime.url(account: account, app: app)), count: count)
        }

        /// GETs `/` on `url` `count` times; the answers' versions (or `HTTP status`) counted.
        func versions(at url: String, count: Int) async throws -> [String: Int] {
            var counts: [String: Int] = [:]
            for _ in 0..<count {
                let response = try await http.send(HTTPRequest(url: url + "/", timeout: .seconds(5)))
                let text = String(decoding: response.body, as: UTF8.self)
                counts[response.status == 200 ? String(text.prefix { $0 != " " }) : "HTTP \(response.status)", default: 0] += 1
            }
            return counts
        }
    }

    final class Announcements: Sendable {
        private let lines = LockedLines()
        func append(_ line: String) { lines.append(line) }
        var all: [String] { lines.all }
    }

    @Test("a stable track runs as ready replicas behind the listener, scraped by Prometheus with their labels")
    func stableTrack() async throws {
        try await Harness.with { h in
            try await h.runtime.apply(account: "aws", TrackSpec(app: "web", track: .stable, image: h.image("v1"), replicas: 2))
            let status = try await h.converge { $0[.stable]?.available == 2 }
            #expect(status[.stable]?.image.digest != nil, "the image is pinned by digest")
            #expect(status.traffic == .all(to: .stable))
            #expect(try await h.versions(count: 10) == ["v1": 10])

            let state = try await h.runtime.snapshot()
            let replicas = state.allReplicas.map(\.replica)
            #expect(replicas.count == 2 && replicas.allSatisfy { $0.process?.isRunning == true })
            if h.runtime.selection.kind == .runc {
                let listed = try await ChildProcess.run("/usr/sbin/runc", ["--root", h.home.runcRoot, "list", "-q"])
                #expect(Set(listed.stdout.split(separator: "\n").map(String.init)) == Set(replicas.map(\.name)))
            }

            let url = try #require(try await h.runtime.prometheusURL())
            let query = "count(lora_http_requests_total{app=\"web\",account=\"aws\",track=\"stable\",version=\"v1\"})"
            var count = ""
            for _ in 0..<50 where count != "2" {
                let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? query
                let response = try await h.http.send(HTTPRequest(url: "\(url)/api/v1/query?query=\(encoded)", timeout: .seconds(5)))
                let json = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
                let result = ((json?["data"] as? [String: Any])?["result"] as? [[String: Any]])?.first
                count = ((result?["value"] as? [Any])?.last as? String) ?? ""
                if count != "2" { try await Task.sleep(for: .milliseconds(200)) }
            }
            #expect(count == "2", "Prometheus scrapes both replicas with app, account, track and version labels")
        }
    }

    @Test("a canary gets exactly its weight of the traffic, and none at weight 0")
    func canaryWeights() async throws {
        try await Harness.with { h in
            try await h.runtime.apply(account: "aws", TrackSpec(app: "web", track: .stable, image: h.image("v1"), replicas: 1))
            try await h.runtime.apply(account: "aws", TrackSpec(app: "web", track: .canary, image: h.image("v2"), replicas: 1))
            try await h.converge { $0[.stable]?.available == 1 && $0[.canary]?.available == 1 }
            #expect(try await h.versions(count: 20) == ["v1": 20], "a new track gets no traffic until a weight is set")
            try await h.runtime.setTraffic(account: "aws", app: "web", .canary(25))
            #expect(try await h.versions(count: 40) == ["v1": 30, "v2": 10])
            try await h.runtime.setTraffic(account: "aws", app: "web", .canary(0))
            #expect(try await h.versions(count: 20) == ["v1": 20])
            try await h.runtime.delete(account: "aws", app: "web", track: .canary)
            let status = try await h.converge { $0[.canary] == nil }
            #expect(status.tracks.map(\.track) == [.stable])
            #expect(try await h.runtime.snapshot().allReplicas.count == 1)
        }
    }

    @Test("a crashed replica is restarted with back-off and its restarts are counted")
    func crashRestarts() async throws {
        try await Harness.with { h in
            try await h.runtime.apply(account: "aws", TrackSpec(app: "web", track: .stable, image: h.image("v1"), replicas: 1))
            try await h.converge { $0[.stable]?.available == 1 }
            let replica = try #require(try await h.runtime.snapshot().allReplicas.first?.replica)
            _ = try? await h.http.send(HTTPRequest(url: "http://127.0.0.1:\(replica.port)/crash", timeout: .seconds(2)))
            let status = try await h.converge { $0[.stable]?.restarts == 1 && $0[.stable]?.available == 1 }
            #expect(status[.stable]?.restarts == 1)
            let after = try #require(try await h.runtime.snapshot().allReplicas.first?.replica)
            #expect(after.name == replica.name && after.process != replica.process, "the same replica, a new process")

            // An image that exits at start loops in back-off; the status says so.
            try await h.runtime.apply(account: "aws", TrackSpec(app: "web", track: .canary, image: h.image("crashy"), replicas: 1))
            let crashing = try await h.converge(timeout: .seconds(15)) { ($0[.canary]?.restarts ?? 0) >= 2 }
            #expect(crashing[.canary]?.available == 0)
            #expect(crashing[.canary]?.message?.contains("back-off") == true)
        }
    }

    @Test("a new image rolls the track: old replicas stop only after new ones are ready, and no request fails")
    func rollingUpdate() async throws {
        try await Harness.with { h in
            try await h.runtime.apply(account: "aws", TrackSpec(app: "web", track: .stable, image: h.image("v1"), replicas: 2))
            try await h.converge { $0[.stable]?.available == 2 }
            let url = try #require(try await h.runtime.url(account: "aws", app: "web"))
            let load = Task {
                var failures: [String] = [], total = 0
                while !Task.isCancelled {
                    total += 1
                    do {
                        let response = try await h.http.send(HTTPRequest(url: url + "/", timeout: .seconds(5)))
                        if response.status != 200 { failures.append("HTTP \(response.status) \(String(decoding: response.body, as: UTF8.self))") }
                    } catch {
                        if Task.isCancelled { break }  // the request the test's end cancelled
                        failures.append("\(error)")
                    }
                }
                return (failures, total)
            }
            try await h.runtime.apply(account: "aws", TrackSpec(app: "web", track: .stable, image: h.image("v2"), replicas: 2))
            let status = try await h.converge { $0[.stable]?.isRolledOut == true && $0[.stable]?.ready == 2 }
            try await h.converge { _ in true }  // one more pass: the old replicas are gone
            load.cancel()
            let (failures, total) = await load.value
            #expect(failures.isEmpty, "\(failures.count) of \(total) requests failed during the roll: \(failures)")
            #expect(total > 20)
            #expect(status[.stable]?.image.tag == "v2")
            #expect(try await h.versions(count: 10) == ["v2": 10])
            #expect(try await h.runtime.snapshot().allReplicas.count == 2)
        }
    }

    @Test("a second process adopts what runs without starting anything twice, and down leaves no process")
    func adoptAndDown() async throws {
        try await Harness.with { h in
            try await h.runtime.apply(account: "aws", TrackSpec(app: "web", track: .stable, image: h.image("v1"), replicas: 2))
            try await h.converge { $0[.stable]?.available == 2 }
            let before = try await h.runtime.snapshot()

            // A new runtime on the same directory, as a restarted tack process would be.
            let second = try LocalRuntime(home: h.home, selection: h.runtime.selection)
            try await second.up()
            let after = try await second.snapshot()
            #expect(after.router == before.router && after.prometheus == before.prometheus)
            #expect(after.allReplicas.map(\.replica.process) == before.allReplicas.map(\.replica.process))
            #expect(try await h.versions(count: 4) == ["v1": 4])

            try await second.down(grace: .seconds(2))
            let processes = [before.router, before.prometheus] + before.allReplicas.map(\.replica.process)
            for handle in processes.compactMap({ $0 }) {
                #expect(await handle.waitUntilGone(timeout: .seconds(5)), "pid \(handle.pid) still runs after down")
            }
            let listener = try #require(before.workloads.first?.listenPort)
            await #expect(throws: HTTPError.self) {
                _ = try await h.http.send(HTTPRequest(url: "http://127.0.0.1:\(listener)/", timeout: .seconds(2)))
            }
            if h.runtime.selection.kind == .runc {
                let listed = try await ChildProcess.run("/usr/sbin/runc", ["--root", h.home.runcRoot, "list", "-q"])
                #expect(listed.stdout.isEmpty)
            }
            // Up again starts the recorded track.
            try await h.runtime.up()
            try await h.converge { $0[.stable]?.available == 2 }
        }
    }

    @Test("without runc, replicas run as plain processes and the runtime says so once")
    func processFallback() async throws {
        let fallback = ContainerRuntimeSelection(kind: .process, runcExecutable: nil, fallbackReason: "runc not found: replicas run as plain processes")
        try await Harness.with(selection: fallback) { h in
            try await h.runtime.apply(account: "aws", TrackSpec(app: "web", track: .stable, image: h.image("v1"), replicas: 1))
            try await h.converge { $0[.stable]?.available == 1 }
            #expect(try await h.versions(count: 3) == ["v1": 3])
            #expect(h.announcements.all == ["runc not found: replicas run as plain processes"])
        }
    }
}

/// Lines collected from any thread.
final class LockedLines: Sendable {
    private let mutex = Mutex<[String]>([])
    func append(_ line: String) { mutex.withLock { $0.append(line) } }
    var all: [String] { mutex.withLock { $0 } }
}
