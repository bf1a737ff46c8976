import Foundation
import TackCore
import TackHTTP
import Testing

@testable import TackLocal

/// Blue-green on the local runtime: the preview listener that serves the preview before the
/// switch, and the promotion that makes the preview's replicas the active track.
extension LocalRuntimeTests {
    @Test("replace makes the preview's replicas the active track without a restart, and stops the old active ones")
    func replacePromotesPreview() async throws {
        try await Harness.with { h in
            try await h.runtime.apply(account: "aws", TrackSpec(app: "web", track: .active, image: h.image("v1"), replicas: 2))
            try await h.runtime.apply(account: "aws", TrackSpec(app: "web", track: .preview, image: h.image("v2"), replicas: 2))
            try await h.converge { $0[.active]?.available == 2 && $0[.preview]?.available == 2 }
            try await h.runtime.setTraffic(account: "aws", app: "web", .all(to: .preview))
            #expect(try await h.versions(count: 6) == ["v2": 6])
            let before = try #require(try await h.runtime.snapshot().workloads.first)
            let preview = try #require(before[.preview]), former = try #require(before[.active]).replicas

            let driver = LocalDriver(account: "aws", runtime: h.runtime)
            try await driver.replace(app: "web", .active, with: .preview)
            let status = try await h.runtime.status(account: "aws", app: "web")
            #expect(status.tracks.map(\.track) == [.active])
            #expect(status[.active]?.image == preview.spec.image && status[.active]?.available == 2)
            #expect(status.traffic == .all(to: .active))
            let state = try await h.runtime.snapshot()
            let moved = try #require(state.workloads.first?[.active]).replicas
            #expect(moved.map(\.name) == preview.replicas.map(\.name), "the same replicas, none added")
            #expect(moved.map(\.process) == preview.replicas.map(\.process), "the same processes, none restarted")
            for replica in former {
                let process = try #require(replica.process)
                #expect(await process.waitUntilGone(timeout: .seconds(5)), "old active replica \(replica.name) still runs")
            }
            #expect(try await h.versions(count: 10) == ["v2": 10])
            let url = try #require(try await h.runtime.url(account: "aws", app: "web"))
            let response = try await h.http.send(HTTPRequest(url: url + "/", timeout: .seconds(5)))
            #expect(response.headers["X-Tack-Track"] == "active")
            let targets = try Data(contentsOf: URL(fileURLWithPath: h.home.prometheus + "/targets/replicas.json"))
            let labels = try #require(try JSONSerialization.jsonObject(with: targets) as? [[String: Any]]).map { $0["labels"] as? [String: String] }
            #expect(Set(labels.map { $0?["replica"] }) == Set(moved.map(\.name)), "scraped: the moved replicas alone")
            #expect(labels.allSatisfy { $0?["track"] == "active" && $0?["version"] == "v2" })

            // Nothing left to replace: a second call, and the next passes, change nothing.
            try await driver.replace(app: "web", .active, with: .preview)
            #expect(try await h.runtime.snapshot() == state)
            let settled = try await h.converge { _ in true }
            #expect(settled == status)
            #expect(try await h.runtime.snapshot().allReplicas.map(\.replica.process) == moved.map(\.process))
        }
    }

    @Test("the preview listener serves the preview alone, and answers 503 without one")
    func previewListener() async throws {
        try await Harness.with { h in
            try await h.runtime.apply(account: "aws", TrackSpec(app: "web", track: .active, image: h.image("v1"), replicas: 1))
            try await h.converge { $0[.active]?.available == 1 }
            let endpoints = try #require(try await h.runtime.endpoints(account: "aws", app: "web"))
            let previewURL = try #require(endpoints.previewURL)
            #expect(endpoints.url == (try await h.runtime.url(account: "aws", app: "web")) && endpoints.port != endpoints.previewPort)
            #expect(try await h.versions(at: previewURL, count: 3) == ["HTTP 503": 3])

            try await h.runtime.apply(account: "aws", TrackSpec(app: "web", track: .preview, image: h.image("v2"), replicas: 2))
            try await h.converge { $0[.preview]?.available == 2 }
            #expect(try await h.versions(at: endpoints.url, count: 10) == ["v1": 10])
            #expect(try await h.versions(at: previewURL, count: 10) == ["v2": 10])

            try await h.runtime.delete(account: "aws", app: "web", track: .preview)
            #expect(try await h.versions(at: previewURL, count: 3) == ["HTTP 503": 3])
            #expect(try await h.versions(at: endpoints.url, count: 3) == ["v1": 3])

            // A state file from before preview listeners gets one at the next pass.
            let data = try Data(contentsOf: URL(fileURLWithPath: h.home.stateFile))
            var json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            json["workloads"] = (json["workloads"] as? [[String: Any]])?.map { $0.filter { $0.key != "previewPort" } }
            try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: h.home.stateFile))
            #expect(try await h.runtime.endpoints(account: "aws", app: "web")?.previewPort == nil)
            try await h.runtime.pass()
            let upgraded = try #require(try await h.runtime.endpoints(account: "aws", app: "web")?.previewURL)
            #expect(try await h.versions(at: upgraded, count: 2) == ["HTTP 503": 2])
            #expect(try await h.versions(count: 2) == ["v1": 2])
        }
    }
}
