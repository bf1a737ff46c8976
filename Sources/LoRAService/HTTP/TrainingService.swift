import Foundation
import Hummingbird
import LoRA

/// `lora-train serve`: the HTTP training service Tack deploys. It answers embedding requests,
/// runs training jobs from a bounded queue, and exports Prometheus metrics.
public struct TrainingService: Sendable {
    /// How the service runs.
    public let configuration: ServiceConfiguration
    let metrics: ServiceMetrics
    let embeddings: EmbeddingService
    let jobs: JobQueue
    let readiness: LockedValue<Bool>

    /// Loads the model and the job journal (resuming interrupted jobs); the service is ready once `run` listens.
    public init(configuration: ServiceConfiguration, log: @escaping @Sendable (String) -> Void = { _ in }) throws {
        self.configuration = configuration
        metrics = ServiceMetrics(version: ServiceVersion.current, faults: configuration.faults)
        embeddings = try EmbeddingService(modelDirectory: configuration.modelDirectory, threads: configuration.embedThreads)
        jobs = try JobQueue(
            paths: JobPaths(
                modelDirectory: configuration.modelDirectory, dataRoot: configuration.dataDirectory,
                outputRoot: configuration.outputDirectory, stateDirectory: configuration.stateDirectory),
            configuration: .init(
                capacity: configuration.queueCapacity, workers: configuration.workers, priority: configuration.jobPriority),
            observer: MetricsObserver(metrics: metrics, log: log), model: embeddings.encoder)
        readiness = LockedValue(false)
    }

    /// Serves until SIGTERM or SIGINT, then stops accepting and lets running work finish;
    /// `onListening` gets the bound port.
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let readiness = self.readiness
        let app = Application(
            router: router(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "lora-train"),
            onServerRunning: { channel in
                readiness.withLock { $0 = true }
                await onListening(channel.localAddress?.port ?? 0)
            })
        defer { readiness.withLock { $0 = false } }
        do { try await app.runService() } catch {
            await jobs.shutdown(grace: configuration.gracePeriod)
            throw error
        }
        readiness.withLock { $0 = false }
        await jobs.shutdown(grace: configuration.gracePeriod)
    }

    /// The routes and middleware of the API.
    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
        router.add(middleware: FaultInjectionMiddleware(faults: configuration.faults))
        let (metrics, readiness, jobs) = (self.metrics, self.readiness, self.jobs)
        router.get("/healthz") { _, _ in try JSONCoding.response(["status": "ok", "version": ServiceVersion.current]) }
        router.get("/readyz") { _, _ in
            guard readiness.withLock({ $0 }), jobs.isAccepting else {
                throw APIError(status: .serviceUnavailable, message: "not ready: starting or shutting down")
            }
            return try JSONCoding.response(["status": "ready"])
        }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: ServiceMetrics.contentType],
                body: .init(byteBuffer: ByteBuffer(string: metrics.exposition())))
        }
        let jobRoutes = JobRoutes(jobs: jobs, bodyLimit: configuration.bodyLimit)
        jobRoutes.add(to: router)
        let embed = EmbedRoute(embeddings: embeddings, bodyLimit: configuration.bodyLimit) { id in
            try jobRoutes.adapterDirectory(id)
        }
        router.post("/v1/embed") { request, _ in try await embed.handle(request) }
        return router
    }
}
