import FakeKubeAPI
import KubeAPI
import TackHTTP
import Testing

/// Lists in the fake: consistent pages, expired continue tokens, label and field selectors.
@Suite("Fake API server: lists")
struct FakeAPIServerListTests {
    @Test("limit and continue page through one snapshot at one resourceVersion; an expired token is 410, continue with a resourceVersion is 400")
    func paging() async throws {
        try await FakeAPIServerHarness.with { kube in
            for name in ["a", "b", "c", "d", "e"] {
                try kube.server.create(.configMaps, namespace: "prod", ["metadata": ["name": .string(name)], "data": ["k": "v"]])
            }
            let first = try await kube.send(.get, prodPath(.configMaps) + "?limit=2")
            #expect(first.json["kind"] == "ConfigMapList")
            #expect(first.json["apiVersion"] == "v1")
            #expect(first.json["items"]?.array?.compactMap(\.name) == ["a", "b"])
            #expect(first.json["items"]?.array?.first?["kind"] == nil)
            #expect(first.json[path: ["metadata", "remainingItemCount"]] == 3)
            let listVersion = try #require(first.json[path: ["metadata", "resourceVersion"]]?.string)
            let token = try #require(first.json[path: ["metadata", "continue"]]?.string)

            try kube.server.delete(.configMaps, namespace: "prod", name: "c")
            try kube.server.create(.configMaps, namespace: "prod", ["metadata": ["name": "bb"]])
            let second = try await kube.send(.get, prodPath(.configMaps) + "?limit=2&continue=" + token)
            #expect(second.json["items"]?.array?.compactMap(\.name) == ["c", "d"])
            #expect(second.json[path: ["metadata", "resourceVersion"]]?.string == listVersion)
            let third = try await kube.send(.get, prodPath(.configMaps) + "?limit=2&continue=" + (second.json[path: ["metadata", "continue"]]?.string ?? ""))
            #expect(third.json["items"]?.array?.compactMap(\.name) == ["e"])
            #expect(third.json[path: ["metadata", "continue"]] == nil)

            let withVersion = try await kube.send(.get, prodPath(.configMaps) + "?limit=2&resourceVersion=\(listVersion)&continue=" + token)
            #expect(withVersion.status == 400)
            #expect(withVersion.message == "specifying resource version is not allowed when using continue")

            kube.server.expireHistory()
            let expired = try await kube.send(.get, prodPath(.configMaps) + "?limit=2&continue=" + token)
            #expect(expired.status == 410)
            #expect(expired.reason == "Expired")
            #expect(expired.message?.hasPrefix("The provided continue parameter is too old to display a consistent list result.") == true)
            #expect(expired.json[path: ["metadata", "continue"]]?.string?.isEmpty == false)
        }
    }

    @Test("labelSelector supports equality, sets and existence; fieldSelector metadata.name picks one object")
    func selectors() async throws {
        try await FakeAPIServerHarness.with { kube in
            let labels: [(String, [String: String])] = [("web", ["track": "stable"]), ("web-canary", ["track": "canary", "paused": "true"]), ("db", [:])]
            for (name, extra) in labels {
                try kube.server.create(.deployments, namespace: "prod", FakeAPIServerHarness.deployment(name, labels: extra))
            }
            try kube.server.create(.deployments, namespace: "staging", FakeAPIServerHarness.deployment("web"))
            func names(_ query: String, path: String = prodPath(.deployments)) async throws -> [String] {
                let answer = try await kube.send(.get, path + "?" + query)
                return answer.json["items"]?.array?.compactMap(\.name) ?? []
            }
            #expect(try await names("labelSelector=track%3Dstable") == ["web"])
            #expect(try await names("labelSelector=track!%3Dstable") == ["db", "web-canary"])
            #expect(try await names("labelSelector=track+in+(stable,canary),!paused") == ["web"])
            #expect(try await names("labelSelector=track") == ["web", "web-canary"])
            #expect(try await names("fieldSelector=metadata.name%3Dweb") == ["web"])
            #expect(try await names("fieldSelector=metadata.name%3Dweb", path: KubeResource.deployments.collectionPath(namespace: nil)).count == 2)
            let unsupported = try await kube.send(.get, prodPath(.deployments) + "?fieldSelector=spec.replicas%3D1")
            #expect(unsupported.status == 400)
            #expect(unsupported.message == "field label not supported: spec.replicas")
        }
    }
}
