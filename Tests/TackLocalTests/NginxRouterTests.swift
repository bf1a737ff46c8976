import Foundation
import TackCore
import TackHTTP
import Testing

@testable import TackLocal

/// The router against Debian's nginx, with upstream replicas from Fixtures/traffic/backends.py.
@Suite("NginxRouter", .serialized)
struct NginxRouterTests {
    @Test("weights 100/0 send every request to stable, and the response names the track and version")
    func allToStable() async throws {
        try await withTraffic(["stable-1", "canary-1"]) { traffic in
            try await traffic.router.start(routes: [traffic.route(split: .all(to: .stable))])
            try await expectTally(traffic.tally(100), ["stable-1": 100])
            let response = try await traffic.client.send(HTTPRequest(url: "http://127.0.0.1:\(traffic.port)/"))
            #expect(response.headers["X-Tack-Track"] == "stable" && response.headers["X-Tack-Version"] == "v1")
        }
    }

    @Test("weights 75/25 split 400 requests 300/100")
    func canarySplit() async throws {
        try await withTraffic(["stable-1", "canary-1"]) { traffic in
            try await traffic.router.start(routes: [traffic.route(split: .canary(25))])
            let counts = try await traffic.tally(400)
            #expect(abs(counts["stable-1", default: 0] - 300) <= 8 && abs(counts["canary-1", default: 0] - 100) <= 8, "\(counts)")
            #expect(counts.values.reduce(0, +) == 400)
        }
    }

    @Test("with three stable replicas and one canary at 10% each stable replica takes 30% and the canary 10%")
    func unevenReplicaCounts() async throws {
        try await withTraffic(["stable-1", "stable-2", "stable-3", "canary-1"]) { traffic in
            try await traffic.router.start(routes: [traffic.route(split: .canary(10))])
            let counts = try await traffic.tally(400)
            for name in ["stable-1", "stable-2", "stable-3"] { #expect(abs(counts[name, default: 0] - 120) <= 8, "\(counts)") }
            #expect(abs(counts["canary-1", default: 0] - 40) <= 8, "\(counts)")
        }
    }

    @Test("a track without a ready replica gets no traffic; without any, the listener answers 503")
    func unreadyTracks() async throws {
        try await withTraffic(["stable-1", "canary-1"]) { traffic in
            try await traffic.router.start(routes: [traffic.route(split: .canary(50), ready: ["stable-1"])])
            try await expectTally(traffic.tally(50), ["stable-1": 50])
            try await traffic.router.apply([traffic.route(split: .canary(50), ready: [])])
            let response = try await traffic.client.send(HTTPRequest(url: "http://127.0.0.1:\(traffic.port)/"))
            #expect(response.status == 503)
            #expect(String(decoding: response.body, as: UTF8.self) == "no replica of prod/chat can take traffic\n")
        }
    }

    @Test("applying the same routes again does not reload nginx")
    func idempotentApply() async throws {
        try await withTraffic(["stable-1", "canary-1"]) { traffic in
            try await traffic.router.start()
            #expect(try await traffic.router.apply([traffic.route(split: .canary(20))]))
            let generation = try await traffic.generation()
            #expect(try await !traffic.router.apply([traffic.route(split: .canary(20))]))
            #expect(try await traffic.generation() == generation)
            #expect(try await traffic.router.apply([traffic.route(split: .canary(30))]))
            #expect(try await traffic.generation() == generation + 1)
        }
    }

    @Test("ten weight changes under load from 8 clients drop no request")
    func reloadUnderLoad() async throws {
        try await withTraffic(["stable-1", "stable-2", "canary-1"]) { traffic in
            try await traffic.router.start(routes: [traffic.route(split: .canary(0))])
            let port = traffic.port
            let client = traffic.client
            let deadline = ContinuousClock.now + .seconds(3)
            let results = try await withThrowingTaskGroup(of: [String: Int].self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        var counts: [String: Int] = [:]
                        var index = worker
                        while ContinuousClock.now < deadline {
                            index += 1
                            let path = index % 4 == 0 ? "/slow" : "/"
                            do {
                                let response = try await client.send(HTTPRequest(url: "http://127.0.0.1:\(port)\(path)"))
                                let key = response.status == 200 ? String(decoding: response.body, as: UTF8.self) : "status \(response.status)"
                                counts[key, default: 0] += 1
                            } catch {
                                counts["error: \(error)", default: 0] += 1
                            }
                        }
                        return counts
                    }
                }
                for step in 1...10 {
                    try await Task.sleep(for: .milliseconds(250))
                    try await traffic.router.apply([traffic.route(split: .canary(step * 10))])
                }
                return try await group.reduce(into: [String: Int]()) { $0.merge($1, uniquingKeysWith: +) }
            }
            let failures = results.filter { !["stable-1", "stable-2", "canary-1"].contains($0.key) }
            #expect(failures.isEmpty, "failed requests: \(failures)")
            #expect(results.values.reduce(0, +) > 500, "\(results)")
            #expect(results["canary-1", default: 0] > 0 && results["stable-1", default: 0] > 0, "\(results)")
            #expect(try await traffic.generation() == 11)
            try await expectTally(traffic.tally(20), ["canary-1": 20])
        }
    }

    @Test("a configuration nginx rejects, at the test or at the reload, throws and leaves the previous one serving")
    func rejectedConfiguration() async throws {
        try await withTraffic(["stable-1", "canary-1"]) { traffic in
            try await traffic.router.start(routes: [traffic.route(split: .all(to: .stable))])
            let configPath = traffic.directory + "/router/nginx.conf"
            let before = try String(contentsOfFile: configPath, encoding: .utf8)

            var broken = traffic.route(split: .canary(50))
            broken.backends[1].port = 0
            do {
                try await traffic.router.apply([broken])
                Issue.record("nginx accepted an upstream on port 0")
            } catch let error as LocalRuntimeError {
                guard case .commandFailed(let command, _, let output) = error else { throw error }
                #expect(command.hasPrefix("nginx -t"))
                #expect(output.contains("invalid port"), "\(output)")
            }
            #expect(try String(contentsOfFile: configPath, encoding: .utf8) == before)

            // nginx -t does not bind, so a listener on a port in use fails only at the reload.
            var busy = traffic.route(split: .canary(50))
            busy.port = traffic.backends.ports["canary-1"]!
            do {
                try await traffic.router.apply([busy])
                Issue.record("nginx took a listener on a port in use")
            } catch let error as LocalRuntimeError {
                guard case .configurationNotLoaded(_, let reason) = error else { throw error }
                #expect(reason.contains("Address already in use"), "\(reason)")
            }
            #expect(try String(contentsOfFile: configPath, encoding: .utf8) == before)
            try await expectTally(traffic.tally(20), ["stable-1": 20])

            // apply returned once nginx had given up retrying the bind, so a good change goes through.
            try await traffic.router.apply([traffic.route(split: .all(to: .canary))])
            try await expectTally(traffic.tally(20), ["canary-1": 20])
        }
    }

    @Test("two routes (another account, another app) listen on their own ports and split independently")
    func independentRoutes() async throws {
        try await withTraffic(["prod-stable", "prod-canary", "staging-stable"]) { traffic in
            let ports = traffic.backends.ports
            let stagingPort = try FreePort.next()
            func routes(prodCanary: Int) -> [Route] {
                [
                    Route(
                        account: "prod", app: "chat", port: traffic.port,
                        backends: [
                            .init(track: .stable, version: "v1", port: ports["prod-stable"]!),
                            .init(track: .canary, version: "v2", port: ports["prod-canary"]!),
                        ],
                        split: .canary(prodCanary)),
                    Route(
                        account: "staging", app: "chat", port: stagingPort,
                        backends: [.init(track: .stable, version: "v1", port: ports["staging-stable"]!)],
                        split: .all(to: .stable)),
                ]
            }
            try await traffic.router.start(routes: routes(prodCanary: 0))
            try await expectTally(traffic.tally(20), ["prod-stable": 20])
            try await expectTally(traffic.tally(20, port: stagingPort), ["staging-stable": 20])
            try await traffic.router.apply(routes(prodCanary: 100))
            try await expectTally(traffic.tally(20), ["prod-canary": 20])
            try await expectTally(traffic.tally(20, port: stagingPort), ["staging-stable": 20])
        }
    }

    @Test("a later router adopts the running nginx, and stop leaves no nginx process and no listener")
    func adoptAndStop() async throws {
        try await withTraffic(["stable-1", "canary-1"]) { traffic in
            let handle = try await traffic.router.start(routes: [traffic.route(split: .all(to: .stable))])
            let workers = processes(inGroup: handle.pid)
            #expect(workers.count >= 2, "master and worker: \(workers)")

            // A new tack process: the same prefix, the recorded handle.
            let later = NginxRouter(prefix: traffic.directory + "/router")
            #expect(await later.adopt(handle))
            #expect(try await !later.apply([traffic.route(split: .all(to: .stable))]))
            #expect(try await later.apply([traffic.route(split: .all(to: .canary))]))
            try await expectTally(traffic.tally(10), ["canary-1": 10])

            await later.stop()
            #expect(!handle.isRunning)
            #expect(processes(inGroup: handle.pid).isEmpty)
            await #expect(throws: HTTPError.self) {
                try await traffic.client.send(HTTPRequest(url: "http://127.0.0.1:\(traffic.port)/"))
            }
            #expect(await !NginxRouter(prefix: traffic.directory + "/router").adopt(handle))
        }
    }
}

/// One test's world: upstream replicas, a router under a temporary directory, a client, and the
/// port of the route under test ("prod/chat").
private struct Traffic {
    let directory: String
    let router: NginxRouter
    let backends: Backends
    let client: CurlHTTPClient
    let port: Int

    /// prod/chat over every backend (named `track-n`), version v1 for stable and v2 for canary;
    /// `ready` names the ready ones (all when nil).
    func route(split: TrafficSplit, ready: Set<String>? = nil) -> Route {
        let backends = backends.ports.sorted { $0.key < $1.key }.map { name, port in
            let track: Track = name.hasPrefix("canary") ? .canary : .stable
            return Route.Backend(
                track: track, version: track == .canary ? "v2" : "v1", port: port, isReady: ready?.contains(name) ?? true)
        }
        return Route(account: "prod", app: "chat", port: port, backends: backends, split: split)
    }

    /// How many of `count` requests (4 at a time) each replica answered; failures count by message.
    func tally(_ count: Int, port: Int? = nil) async throws -> [String: Int] {
        let url = "http://127.0.0.1:\(port ?? self.port)/"
        let client = client
        return try await withThrowingTaskGroup(of: [String: Int].self) { group in
            for worker in 0..<4 {
                group.addTask {
                    var counts: [String: Int] = [:]
                    for _ in stride(from: worker, to: count, by: 4) {
                        do {
                            let response = try await client.send(HTTPRequest(url: url))
                            let key = response.status == 200 ? String(decoding: response.body, as: UTF8.self) : "status \(response.status)"
                            counts[key, default: 0] += 1
                        } catch {
                            counts["error: \(error)", default: 0] += 1
                        }
                    }
                    return counts
                }
            }
            return try await group.reduce(into: [String: Int]()) { $0.merge($1, uniquingKeysWith: +) }
        }
    }

    /// The generation the router's control server answers.
    func generation() async throws -> Int {
        let port = try #require(await router.controlPort)
        let response = try await client.send(HTTPRequest(url: "http://127.0.0.1:\(port)/generation", headers: ["Connection": "close"]))
        return try #require(Int(String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)))
    }
}

/// Runs `body` with backends named `names` and a router, and stops both (and removes the
/// directory) however `body` ends.
private func withTraffic(_ names: [String], _ body: (Traffic) async throws -> Void) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tack-router-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let router = NginxRouter(prefix: directory + "/router")
    var backends: Backends?
    do {
        backends = try await Backends.start(names, log: directory + "/backends.log")
        let client = try CurlHTTPClient(configuration: HTTPClientConfiguration(retry: .never, maxConnectionsPerHost: 16))
        try await body(Traffic(directory: directory, router: router, backends: backends!, client: client, port: try FreePort.next()))
    } catch {
        await router.stop(grace: .seconds(1))
        await backends?.process.terminate(grace: .seconds(1))
        try? FileManager.default.removeItem(atPath: directory)
        throw error
    }
    await router.stop(grace: .seconds(1))
    await backends?.process.terminate(grace: .seconds(1))
    try? FileManager.default.removeItem(atPath: directory)
}

/// One python3 process serving each named replica on its own port.
private struct Backends {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/traffic/backends.py").path

    let process: ProcessHandle
    let ports: [String: Int]

    static func start(_ names: [String], log: String) async throws -> Backends {
        let ports = Dictionary(uniqueKeysWithValues: zip(names, try FreePort.next(names.count)))
        let process = try ChildProcess.spawn(
            ProcessSpec(
                executable: "/usr/bin/python3", arguments: [script] + ports.map { "\($0.key)=\($0.value)" },
                environment: ChildProcess.minimalEnvironment, logPath: log))
        for _ in 0..<500 {
            if let text = try? String(contentsOfFile: log, encoding: .utf8), text.contains("ready") {
                return Backends(process: process, ports: ports)
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        await process.terminate(grace: .seconds(1))
        throw LocalRuntimeError.timedOut(what: "backends.py to listen", seconds: 5)
    }
}

/// The pids of the processes in process group `group`.
private func processes(inGroup group: Int32) -> [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { entry -> Int32? in
        guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // After "pid (comm)": state, ppid, pgrp.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 2 && Int32(fields[2]) == group && fields[0] != "Z" ? pid : nil
    }
}

/// Expects a tally to be `expected`, and shows the whole tally, errors included, when it is not:
/// `#expect` does not print the value of an awaited expression.
private func expectTally(_ actual: [String: Int], _ expected: [String: Int], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual == expected, "\(actual)", sourceLocation: sourceLocation)
}
