import Foundation
import Hummingbird
import LoRA

/// `POST /v1/jobs`, `GET /v1/jobs`, `GET /v1/jobs/{id}` and `DELETE /v1/jobs/{id}`.
struct JobRoutes: Sendable {
    let jobs: JobQueue
    let bodyLimit: Int

    func add(to router: Router<BasicRequestContext>) {
        router.post("/v1/jobs") { request, _ in try await submit(request) }
        router.get("/v1/jobs") { _, _ in try JSONCoding.response(["jobs": jobs.list()]) }
        router.get("/v1/jobs/{id}") { _, context in try JSONCoding.response(try job(context)) }
        router.delete("/v1/jobs/{id}") { _, context in try cancel(context) }
    }

    private func submit(_ request: Request) async throws -> Response {
        var request = request
        let body = try await JSONCoding.body(of: &request, limit: bodyLimit)
        let result: JobQueue.SubmitResult
        do { result = try jobs.submit(try JobSpec(json: Array(buffer: body), paths: jobs.paths)) } catch {
            switch error {
            case let .malformedRequest(reason): throw APIError(status: .badRequest, message: "malformed request body: \(reason)")
            case let .invalidSpec(problems): throw APIError(status: .unprocessableContent, message: "invalid training job", problems: problems)
            case .notAccepting: throw APIError(status: .serviceUnavailable, message: error.description)
            default: throw APIError(status: .internalServerError, message: error.description)
            }
        }
        switch result {
        case let .accepted(job):
            return try JSONCoding.response(job, status: .accepted, headers: [.location: "/v1/jobs/\(job.id)"])
        case let .full(retryAfterSeconds):
            throw APIError(
                status: .tooManyRequests, message: "the job queue is full; try again later", retryAfterSeconds: retryAfterSeconds)
        }
    }

    private func job(_ context: BasicRequestContext) throws -> Job {
        let text = context.parameters.get("id") ?? ""
        guard let id = JobID(text), let job = jobs.get(id) else {
            throw APIError(status: .notFound, message: "no job \"\(text)\"")
        }
        return job
    }

    private func cancel(_ context: BasicRequestContext) throws -> Response {
        let text = context.parameters.get("id") ?? ""
        guard let id = JobID(text) else { throw APIError(status: .notFound, message: "no job \"\(text)\"") }
        switch jobs.cancel(id) {
        case let .cancelled(job): return try JSONCoding.response(job)
        case let .stopping(job): return try JSONCoding.response(job, status: .accepted)
        case let .alreadyFinished(job):
            throw APIError(status: .conflict, message: "job \(job.id) already \(job.state.rawValue)")
        case .notFound: throw APIError(status: .notFound, message: "no job \"\(text)\"")
        }
    }

    /// The adapter directory of a succeeded job, for `POST /v1/embed`.
    func adapterDirectory(_ text: String) throws -> String {
        guard let id = JobID(text), let job = jobs.get(id) else {
            throw APIError(status: .notFound, message: "no job \"\(text)\" to take an adapter from")
        }
        guard job.state == .succeeded else {
            throw APIError(status: .conflict, message: "job \(id) is \(job.state.rawValue); only a succeeded job has an adapter")
        }
        return job.outputDirectory
    }
}
