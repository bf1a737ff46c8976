import Foundation
import TackEngine
import TackHTTP
import TackServer
import Testing

@Suite("controller judgments and rollback")
struct JudgmentTests {
    @Test("promote, abort and rollback of an application that does not exist are answered 404")
    func missingApplication() async throws {
        try await RunningController.with { controller in
            for action in ["promote", "abort", "rollback"] {
                let answer = try await controller.send(.post, "/v1/applications/nope/\(action)")
                #expect(answer.status == 404, "\(action)")
                #expect(try decode(APIErrorBody.self, answer).reason == "NotFound")
            }
        }
    }

    @Test("promote on a running execution is accepted (202) with its view")
    func promoteRunning() async throws {
        try await RunningController.with { controller in
            let applied = try decode(ApplyResult.self, try await controller.apply(ServerPipelines.canary("v1")))
            let answer = try await controller.send(.post, "/v1/applications/svc/promote")
            #expect(answer.status == 202)
            #expect(try decode(ExecutionView.self, answer).id == applied.execution.id)
            let events = try decode([EngineEvent].self, try await controller.send(.get, "/v1/executions/\(applied.execution.id)/events"))
            #expect(events.contains { $0.kind == .judgment && $0.message == "promote requested" })
        }
    }

    @Test("promote and abort of an execution that has ended are answered 409")
    func endedExecution() async throws {
        try await RunningController.with(options: RunningController.fast) { controller in
            #expect(try await controller.apply(ServerPipelines.canary("v1")).status == 201)
            let ended = try await controller.waitUntilEnded()
            #expect(ended.phase == .failed)
            for action in ["promote", "abort"] {
                let answer = try await controller.send(.post, "/v1/applications/svc/\(action)")
                #expect(answer.status == 409, "\(action)")
                let body = try decode(APIErrorBody.self, answer)
                #expect(body.reason == "Conflict" && body.message.contains("has ended (failed)"))
            }
        }
    }

    @Test("rollback without an earlier revision is answered 409; with one, it applies it again as a new revision (201)")
    func rollback() async throws {
        try await RunningController.with { controller in
            #expect(try await controller.apply(ServerPipelines.canary("v1")).status == 201)
            let none = try await controller.send(.post, "/v1/applications/svc/rollback")
            #expect(none.status == 409)
            #expect(try decode(APIErrorBody.self, none).message == "svc has no earlier revision to roll back to")

            #expect(try await controller.apply(ServerPipelines.canary("v2")).status == 201)
            let answer = try await controller.send(.post, "/v1/applications/svc/rollback")
            #expect(answer.status == 201)
            let result = try decode(ApplyResult.self, answer)
            #expect(result.created && result.revision == 3)
            let revision = try #require(try controller.engine.store.revision(app: "svc", number: 3))
            #expect(revision.pipelineText == ServerPipelines.canary("v1"))
        }
    }
}
