import ArgumentParser
import Foundation
import LoRA
import LoRAService

/// `lora-train serve`: the training service, with the job API, embeddings and Prometheus metrics.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the training service: POST /v1/jobs, POST /v1/embed, /healthz, /readyz, /metrics.",
        discussion: """
            The port comes from PORT (default 8080) and the address from --host, else HOST, else \
            127.0.0.1. LORA_FAULT_ERROR_RATE (e.g. 0.3 or 30%) and \
            LORA_FAULT_LATENCY (e.g. 2.5s or uniform(100ms,2s)) inject errors and latency into API \
            requests for demos and tests; they are off by default and announced when on. SIGTERM stops \
            accepting requests, checkpoints running jobs and exits.
            """
    )

    @Option(help: "The base model directory (config.json, model.safetensors, vocab.txt).")
    var model: String

    @Option(help: "The address to listen on (default: $HOST, else 127.0.0.1).")
    var host: String?

    @Option(help: "Where the job journal is kept.")
    var stateDir = "state"

    @Option(help: "Where job outputs go, as jobs/<id>/.")
    var outputDir = "output"

    @Option(help: "Where a job's data_path resolves.")
    var dataDir = "data"

    @Option(help: "Jobs trained at the same time.")
    var workers = 1

    @Option(help: "Jobs that may wait in the queue; more are answered 429.")
    var queue = 8

    @Option(help: "Threads one batch of embeddings is split over (default: the number of cores).")
    var embedThreads = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: """
        How training competes with embeddings for the cores: idle (only on time embeddings leave \
        unused), low (nice 10), normal.
        """)
    var jobPriority = JobPriority.idle

    func validate() throws {
        guard embedThreads >= 1 else { throw ValidationError("--embed-threads must be at least 1; got \(embedThreads)") }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let port: Int
        if let text = environment["PORT"] {
            guard let value = Int(text), (0...65535).contains(value) else {
                throw ValidationError("PORT must be a port number 0...65535; got \"\(text)\"")
            }
            port = value
        } else {
            port = 8080
        }
        let faults: FaultInjection
        do { faults = try FaultInjection.fromEnvironment(environment) } catch {
            throw ValidationError("\(error)")
        }
        let host = host ?? environment["HOST"].flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
        let configuration = ServiceConfiguration(
            host: host, port: port, modelDirectory: model, stateDirectory: stateDir, outputDirectory: outputDir,
            dataDirectory: dataDir, workers: workers, queueCapacity: queue, embedThreads: embedThreads,
            jobPriority: jobPriority, faults: faults)
        let service: TrainingService
        do {
            service = try TrainingService(configuration: configuration) { line in
                FileHandle.standardError.write(Data("lora-train: \(line)\n".utf8))
            }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        if faults.isEnabled { FileHandle.standardError.write(Data("lora-train: \(faults.announcement)\n".utf8)) }
        try await service.run { port in
            FileHandle.standardError.write(Data("lora-train: serving \(ServiceVersion.current) on http://\(configuration.host):\(port)\n".utf8))
        }
    }
}

extension JobPriority: ExpressibleByArgument {}
