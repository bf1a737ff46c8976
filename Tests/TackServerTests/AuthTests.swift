import Foundation
import TackHTTP
import TackServer
import Testing

@Suite("controller authentication")
struct AuthTests {
    @Test("a /v1 request without a token gets 401, with another token 403, with the controller's token 200")
    func bearerToken() async throws {
        try await RunningController.with { controller in
            let missing = try await controller.send(.get, "/v1/applications", headers: [:])
            #expect(missing.status == 401)
            #expect(missing.headers["WWW-Authenticate"] == "Bearer")
            #expect(try decode(APIErrorBody.self, missing).reason == "Unauthorized")

            let basic = try await controller.send(.get, "/v1/applications", headers: ["Authorization": "Basic \(controller.token)"])
            #expect(basic.status == 401)

            let wrong = try await controller.send(.get, "/v1/applications", headers: ["Authorization": "Bearer " + String(repeating: "0", count: 64)])
            #expect(wrong.status == 403)
            let body = try decode(APIErrorBody.self, wrong)
            #expect(body.code == 403 && body.reason == "Forbidden")
            #expect(!wrong.text.contains(controller.token))

            let prefix = try await controller.send(.get, "/v1/applications", headers: ["Authorization": "Bearer \(controller.token.dropLast())"])
            #expect(prefix.status == 403)

            let right = try await controller.send(.get, "/v1/applications")
            #expect(right.status == 200)
            #expect(right.text == "[]\n")
        }
    }

    @Test("/healthz, /readyz and /metrics answer without a token; an unknown path still needs one")
    func probes() async throws {
        try await RunningController.with { controller in
            let health = try await controller.send(.get, "/healthz", headers: [:])
            #expect(health.status == 200 && health.text == "ok\n")
            var ready = try await controller.send(.get, "/readyz", headers: [:])
            for _ in 0..<40 where ready.status != 200 {
                try await Task.sleep(for: .milliseconds(50))
                ready = try await controller.send(.get, "/readyz", headers: [:])
            }
            #expect(ready.status == 200 && ready.text == "ok\n")
            #expect(try await controller.send(.get, "/metrics", headers: [:]).status == 200)
            #expect(try await controller.send(.get, "/nowhere", headers: [:]).status == 401)
            let unknown = try await controller.send(.get, "/nowhere")
            #expect(unknown.status == 404)
            #expect(try decode(APIErrorBody.self, unknown).reason == "NotFound")
        }
    }

    @Test("the token file is created once with mode 0600 and 64 hex digits, and reused")
    func tokenFile() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("tack-token-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: home) }
        #expect(try ControllerToken.load(home: home) == nil)
        let token = try ControllerToken.loadOrCreate(home: home)
        #expect(token.count == 64 && token.allSatisfy(\.isHexDigit))
        let attributes = try FileManager.default.attributesOfItem(atPath: ControllerToken.path(home: home))
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try ControllerToken.loadOrCreate(home: home) == token)
        #expect(try ControllerToken.load(home: home) == token)
        #expect(try FileManager.default.contentsOfDirectory(atPath: home) == ["controller.token"])

        let other = home + "-other"
        defer { try? FileManager.default.removeItem(atPath: other) }
        #expect(try ControllerToken.loadOrCreate(home: other) != token)
    }
}
