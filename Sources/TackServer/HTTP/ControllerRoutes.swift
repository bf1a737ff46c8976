import Hummingbird
import TackEngine

/// The `/v1/…` routes: apply, the applications and their executions, judgments and rollback.
struct ControllerRoutes: Sendable {
    let engine: Engine
    let configuration: ControllerConfiguration

    func add(to router: Router<BasicRequestContext>) {
        router.post("/v1/apply") { request, _ in try await apply(request) }
        router.get("/v1/applications") { _, _ in try await applications() }
        router.get("/v1/applications/{app}") { _, context in
            try APIJSON.response(try await latest(app(context)))
        }
        router.get("/v1/applications/{app}/history") { _, context in try await history(app(context)) }
        router.get("/v1/applications/{app}/watch") { request, context in try await watch(request, app: app(context)) }
        router.post("/v1/applications/{app}/promote") { _, context in try await judge(.promote, app: app(context)) }
        router.post("/v1/applications/{app}/abort") { _, context in try await judge(.abort, app: app(context)) }
        router.post("/v1/applications/{app}/rollback") { _, context in
            try await result(engine.rollBack(app: app(context)))
        }
        router.get("/v1/executions/{id}") { _, context in
            let id = try executionID(context)
            guard let view = try await engine.view(id) else { throw APIError(.notFound, "no execution \(id) exists") }
            return try APIJSON.response(view)
        }
        router.get("/v1/executions/{id}/events") { request, context in try events(request, id: executionID(context)) }
    }

    private func apply(_ request: Request) async throws -> Response {
        let body = try await APIJSON.decode(ApplyRequest.self, from: request, limit: configuration.bodyLimit)
        let outcome: ApplyOutcome
        do {
            outcome = try await engine.apply(
                pipelinePath: body.pipelinePath, pipelineText: body.pipeline, accountsPath: body.accountsPath,
                accountsText: body.accounts)
        } catch EngineError.invalidRevision(_, _, let problems) {
            // The engine's problems carry no file name; the same check again names each problem's file.
            let details = body.problems()
            throw APIError(.unprocessableContent, "\(body.pipelinePath) does not validate", details: details.isEmpty ? problems : details)
        }
        return try await result(outcome)
    }

    /// 201 with the result when a revision was created, 200 when the files were applied before.
    private func result(_ outcome: ApplyOutcome) async throws -> Response {
        let result = ApplyResult(
            app: outcome.revision.app, revision: outcome.revision.number, created: outcome.created,
            superseded: outcome.superseded, execution: try await view(outcome.execution.id))
        return try APIJSON.response(result, status: outcome.created ? .created : .ok)
    }

    private func applications() async throws -> Response {
        let summaries = try engine.store.applications().compactMap { app in
            try engine.store.latestExecution(app: app).map { try ApplicationSummary($0, lastVerdict: engine.store.latestVerdict(app: app)) }
        }
        return try APIJSON.response(summaries)
    }

    private func latest(_ app: String) async throws -> ExecutionView {
        guard let execution = try engine.store.latestExecution(app: app) else { throw EngineError.noExecution(app: app) }
        return try await view(execution.id)
    }

    private func history(_ app: String) async throws -> Response {
        let executions = try engine.store.executions(app: app)
        guard !executions.isEmpty else { throw EngineError.noExecution(app: app) }
        var views: [ExecutionView] = []
        for execution in executions { views.append(try await view(execution.id)) }
        return try APIJSON.response(views)
    }

    /// 202 with the execution once the judgment is stored; the engine applies it in its next pass.
    private func judge(_ judgment: Judgment, app: String) async throws -> Response {
        let execution = try await engine.judge(judgment, app: app)
        return try APIJSON.response(try await view(execution.id), status: .accepted)
    }

    private func events(_ request: Request, id: Int64) throws -> Response {
        let text = request.uri.queryParameters.get("after") ?? "0"
        guard let after = Int64(text), after >= 0 else {
            throw APIError(.badRequest, "after must be a sequence number (0 or more); got \(text)")
        }
        guard try engine.store.execution(id: id) != nil else { throw APIError(.notFound, "no execution \(id) exists") }
        return try APIJSON.response(try engine.store.events(executionID: id, after: after))
    }

    private func watch(_ request: Request, app: String) async throws -> Response {
        let first = try await latest(app)
        let framing = WatchFraming(accept: request.headers[.accept])
        let watch = ExecutionWatch(
            engine: engine, app: app, follows: request.uri.queryParameters.get("follow") == "true",
            interval: configuration.watchInterval, heartbeat: configuration.heartbeatInterval)
        let body = ResponseBody { writer in
            try await watch.run(from: first) { message in try await writer.write(framing.frame(message)) }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: framing.contentType, .cacheControl: "no-cache"], body: body)
    }

    private func view(_ id: Int64) async throws -> ExecutionView {
        guard let view = try await engine.view(id) else { throw EngineError.store("execution \(id) vanished") }
        return view
    }

    private func app(_ context: BasicRequestContext) throws -> String {
        guard let app = context.parameters.get("app"), !app.isEmpty else { throw APIError(.badRequest, "no application named") }
        return app
    }

    private func executionID(_ context: BasicRequestContext) throws -> Int64 {
        let text = context.parameters.get("id") ?? ""
        guard let id = Int64(text) else { throw APIError(.badRequest, "an execution id is a number; got \(text)") }
        return id
    }
}
