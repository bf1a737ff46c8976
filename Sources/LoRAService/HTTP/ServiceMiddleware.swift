import Foundation
import Hummingbird
import LoRA

/// Records every request in `lora_http_requests_total` and `lora_http_request_duration_seconds`,
/// labelled by the matched route (so ids never make new series), including injected faults.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServiceMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let method = request.method.rawValue
        do {
            let response = try await next(request, context)
            record(method, context, response.status.code, started)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            record(method, context, status, started)
            throw error
        }
    }

    private func record(_ method: String, _ context: Context, _ code: Int, _ started: ContinuousClock.Instant) {
        metrics.observeRequest(
            method: method, route: context.endpointPath ?? "unmatched", code: code, seconds: (ContinuousClock.now - started).seconds)
    }
}

/// Answers a share of API requests with 500 and delays them, as `LORA_FAULT_*` asks; the health
/// and metrics endpoints are never touched, so a faulty version is still scraped and kept running.
struct FaultInjectionMiddleware<Context: RequestContext>: RouterMiddleware {
    let faults: FaultInjection
    static var exempt: Set<String> { ["/healthz", "/readyz", "/metrics"] }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard faults.isEnabled, !Self.exempt.contains(request.uri.path) else { return try await next(request, context) }
        var random = SystemRandomNumberGenerator()
        let decision = faults.decide(using: &random)
        if decision.delay > .zero { try await Task.sleep(for: decision.delay) }
        if decision.fail { throw APIError(status: .internalServerError, message: "injected fault (LORA_FAULT_ERROR_RATE)") }
        return try await next(request, context)
    }
}
