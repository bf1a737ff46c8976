import FakeKubeAPI
import KubeAPI
import TackHTTP
import Testing

/// The fake refuses invalid labels as kube-apiserver does, on create, apply, patch and PUT.
@Suite("Fake API server: label validation")
struct FakeAPIServerLabelTests {
    static let long = String(repeating: "v", count: 64)
    static let tooLong = "must be no more than 63 characters"
    static let valueRule = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and "
        + "end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is "
        + "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"

    /// A Deployment whose object labels, selector and pod labels are `labels`.
    static func deployment(_ name: String, labels: [String: String]) -> JSONValue {
        var deployment = FakeAPIServerHarness.deployment(name, labels: labels)
        let values = JSONValue.object(labels.mapValues { .string($0) })
        deployment["spec"]?["selector"]?["matchLabels"] = values
        deployment["spec"]?["template"]?["metadata"]?["labels"] = values
        return deployment
    }

    @Test("a label value over 63 characters, or not starting and ending with a letter or digit, is 422 Invalid with a cause per map")
    func invalidValues() async throws {
        try await FakeAPIServerHarness.with { kube in
            let answer = try await kube.send(.post, prodPath(.deployments), Self.deployment("web", labels: ["app": "web", "version": Self.long]))
            #expect(answer.status == 422)
            #expect(answer.reason == "Invalid")
            let invalid = "Invalid value: \"\(Self.long)\": \(Self.tooLong)"
            #expect(answer.message == "Deployment.apps \"web\" is invalid: [metadata.labels: \(invalid), spec.selector.matchLabels: \(invalid), "
                + "spec.template.labels: \(invalid)]")
            #expect(answer.json[path: ["details", "causes"]] == .array(["metadata.labels", "spec.selector.matchLabels", "spec.template.labels"].map {
                ["reason": "FieldValueInvalid", "message": .string(invalid), "field": .string($0)]
            }))

            for value in ["_v1", "v1.", "v1-", "v 1"] {
                let bad = try await kube.send(.post, prodPath(.deployments), FakeAPIServerHarness.deployment("web", labels: ["version": value]))
                #expect(bad.status == 422, "\(value)")
                #expect(bad.message == "Deployment.apps \"web\" is invalid: metadata.labels: Invalid value: \"\(value)\": \(Self.valueRule)")
            }
            let both = try await kube.send(.post, prodPath(.deployments), FakeAPIServerHarness.deployment("web", labels: ["version": Self.long + "."]))
            #expect(both.json[path: ["details", "causes"]]?.array?.compactMap { $0["message"]?.string } == [
                "Invalid value: \"\(Self.long).\": \(Self.tooLong)", "Invalid value: \"\(Self.long).\": \(Self.valueRule)",
            ])
            #expect(try await kube.send(.post, prodPath(.deployments), Self.deployment("web", labels: ["app": "web", "version": ""])).status == 201)
            #expect(kube.server.object(.deployments, namespace: "prod", name: "web") != nil)
        }
    }

    @Test("apply, merge patch and PUT are refused with an invalid label too, and change nothing")
    func invalidOnUpdate() async throws {
        try await FakeAPIServerHarness.with { kube in
            let path = prodPath(.deployments, "web")
            let apply = "application/apply-patch+yaml"
            let refused = try await kube.send(.patch, path + "?fieldManager=tack", Self.deployment("web", labels: ["app": "web", "version": "v1_"]),
                                              contentType: apply)
            #expect(refused.status == 422)
            #expect(kube.server.object(.deployments, namespace: "prod", name: "web") == nil)

            let created = try await kube.send(.patch, path + "?fieldManager=tack", Self.deployment("web", labels: ["app": "web", "version": "v1"]),
                                              contentType: apply)
            #expect(created.status == 201)
            let reapplied = try await kube.send(.patch, path + "?fieldManager=tack", Self.deployment("web", labels: ["app": "web", "version": Self.long]),
                                                contentType: apply)
            #expect(reapplied.status == 422)
            #expect(reapplied.json[path: ["details", "causes"]]?.array?.count == 3)

            let merged = try await kube.send(.patch, path, ["spec": ["template": ["metadata": ["labels": ["version": "-v2"]]]]],
                                             contentType: "application/merge-patch+json")
            #expect(merged.status == 422)
            #expect(merged.message == "Deployment.apps \"web\" is invalid: spec.template.labels: Invalid value: \"-v2\": \(Self.valueRule)")

            var replaced = created.json
            replaced["metadata"]?["labels"]?["version"] = "v2."
            let put = try await kube.send(.put, path, replaced)
            #expect(put.status == 422)
            #expect(kube.server.object(.deployments, namespace: "prod", name: "web")?.resourceVersion == created.json.resourceVersion)
        }
    }

    @Test("label keys must be qualified names; a Service's selector is checked like labels")
    func invalidKeysAndServiceSelectors() async throws {
        try await FakeAPIServerHarness.with { kube in
            let keys = try await kube.send(.post, prodPath(.configMaps), [
                "metadata": ["name": "settings", "labels": ["Example.com/app": "a", "/app": "b", "tack.dev/": "c", "a/b/c": "d"]],
            ])
            #expect(keys.status == 422)
            let rule = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character "
                + "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
            #expect(keys.json[path: ["details", "causes"]]?.array?.compactMap { $0["message"]?.string } == [
                "Invalid value: \"/app\": prefix part must be non-empty",
                "Invalid value: \"Example.com/app\": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
                    + "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
                    + "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
                "Invalid value: \"a/b/c\": a qualified name \(rule) with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                "Invalid value: \"tack.dev/\": name part must be non-empty",
                "Invalid value: \"tack.dev/\": name part \(rule)",
            ])
            let service: JSONValue = [
                "metadata": ["name": "web"],
                "spec": ["selector": ["app": "web", "version": "v1."], "ports": [["port": 80]]],
            ]
            let refused = try await kube.send(.post, prodPath(.services), service)
            #expect(refused.status == 422)
            #expect(refused.message == "Service \"web\" is invalid: spec.selector: Invalid value: \"v1.\": \(Self.valueRule)")
        }
    }
}
