import Foundation
import TackEngine
import TackHTTP
import TackServer
import Testing

@Suite("controller apply and reads")
struct ApplyTests {
    @Test("an invalid pipeline is answered 422 with each problem as file:line:column")
    func invalidPipeline() async throws {
        try await RunningController.with { controller in
            let answer = try await controller.apply(ServerPipelines.invalid)
            #expect(answer.status == 422)
            let body = try decode(APIErrorBody.self, answer)
            #expect(body.reason == "Invalid")
            let details = body.details ?? []
            #expect(!details.isEmpty)
            #expect(details.allSatisfy { $0.wholeMatch(of: /(pipeline|tack)\.yaml:\d+:\d+: .+/) != nil }, "\(details)")
            #expect(details.contains { $0.hasPrefix("pipeline.yaml:9:23: ") }, "\(details)")
            #expect(try await controller.send(.get, "/v1/applications").text == "[]\n")
        }
    }

    @Test("a body that is not an apply request is answered 400")
    func badJSON() async throws {
        try await RunningController.with { controller in
            let broken = try await controller.send(.post, "/v1/apply", json: "{\"pipeline\": ")
            #expect(broken.status == 400)
            #expect(try decode(APIErrorBody.self, broken).reason == "BadRequest")
            let missing = try await controller.send(.post, "/v1/apply", json: "{\"pipeline\": \"x\"}")
            #expect(missing.status == 400)
            #expect(try decode(APIErrorBody.self, missing).message.contains("missing key"))
        }
    }

    @Test("applying creates a revision (201), the same files again change nothing (200), and every read sees it")
    func applyAndRead() async throws {
        try await RunningController.with { controller in
            let first = try await controller.apply(ServerPipelines.canary("v1"))
            #expect(first.status == 201)
            let created = try decode(ApplyResult.self, first)
            #expect(created.app == "svc" && created.revision == 1 && created.created && created.superseded.isEmpty)
            #expect(created.execution.accounts.map(\.account) == ["aws"])

            let again = try await controller.apply(ServerPipelines.canary("v1"))
            #expect(again.status == 200)
            let unchanged = try decode(ApplyResult.self, again)
            #expect(!unchanged.created && unchanged.revision == 1 && unchanged.execution.id == created.execution.id)

            let id = created.execution.id
            let summaries = try decode([ApplicationSummary].self, try await controller.send(.get, "/v1/applications"))
            #expect(summaries.map(\.app) == ["svc"])
            #expect(summaries.first?.accounts.map(\.account) == ["aws"])
            #expect(summaries.first?.revision == 1)

            let latest = try decode(ExecutionView.self, try await controller.send(.get, "/v1/applications/svc"))
            #expect(latest.id == id && latest.app == "svc" && latest.revision == 1)
            let history = try decode([ExecutionView].self, try await controller.send(.get, "/v1/applications/svc/history"))
            #expect(history.map(\.id) == [id])
            let execution = try decode(ExecutionView.self, try await controller.send(.get, "/v1/executions/\(id)"))
            #expect(execution.id == id)

            let events = try decode([EngineEvent].self, try await controller.send(.get, "/v1/executions/\(id)/events?after=0"))
            #expect(events.first?.kind == .created)
            #expect(zip(events, events.dropFirst()).allSatisfy { $0.sequence < $1.sequence })
            let last = events.last?.sequence ?? 0
            let later = try decode([EngineEvent].self, try await controller.send(.get, "/v1/executions/\(id)/events?after=\(last)"))
            #expect(later.allSatisfy { $0.sequence > last })
            #expect(try await controller.send(.get, "/v1/executions/\(id)/events?after=x").status == 400)
        }
    }

    @Test("a new revision supersedes the running execution and heads the history")
    func supersede() async throws {
        try await RunningController.with { controller in
            let first = try decode(ApplyResult.self, try await controller.apply(ServerPipelines.canary("v1")))
            let second = try decode(ApplyResult.self, try await controller.apply(ServerPipelines.canary("v2")))
            #expect(second.revision == 2 && second.superseded == [first.execution.id])
            let history = try decode([ExecutionView].self, try await controller.send(.get, "/v1/applications/svc/history"))
            #expect(history.map(\.id) == [second.execution.id, first.execution.id])
            #expect(history.last?.phase == .superseded)
            // A pass of the old execution that was deciding during the apply must not revive it.
            try await Task.sleep(for: .milliseconds(500))
            let old = try decode(ExecutionView.self, try await controller.send(.get, "/v1/executions/\(first.execution.id)"))
            #expect(old.phase == .superseded)
        }
    }

    @Test("an unknown application or execution is answered 404 with a Kubernetes-style status")
    func notFound() async throws {
        try await RunningController.with { controller in
            for path in ["/v1/applications/nope", "/v1/applications/nope/history", "/v1/applications/nope/watch",
                         "/v1/executions/99", "/v1/executions/99/events"] {
                let answer = try await controller.send(.get, path)
                #expect(answer.status == 404, "\(path)")
                let body = try decode(APIErrorBody.self, answer)
                #expect(body.code == 404 && body.reason == "NotFound", "\(path)")
            }
            let body = try decode(APIErrorBody.self, try await controller.send(.get, "/v1/applications/nope"))
            #expect(body.message == "no execution of nope exists; apply a pipeline first")
        }
    }
}
