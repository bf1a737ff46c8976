import Foundation

/// How `lora-train serve` runs: where it listens, which model it loads, where it keeps state and
/// output, and its limits.
public struct ServiceConfiguration: Sendable {
    /// The address to listen on.
    public var host: String
    /// The port (from `PORT`; 0 picks a free one).
    public var port: Int
    /// The base model directory every job and embedding uses.
    public var modelDirectory: String
    /// Where the job journal lives.
    public var stateDirectory: String
    /// Where job outputs go, as `jobs/<id>/`.
    public var outputDirectory: String
    /// Where `data_path` of a job resolves.
    public var dataDirectory: String
    /// Jobs trained at the same time.
    public var workers: Int
    /// Jobs that may wait; more are answered 429.
    public var queueCapacity: Int
    /// Threads one embedding batch is split over (a job uses its own `threads`).
    public var embedThreads: Int
    /// How training threads compete with embeddings for the cores.
    public var jobPriority: JobPriority
    /// The largest request body accepted; larger ones are answered 413.
    public var bodyLimit: Int
    /// How long a SIGTERM waits for running jobs to checkpoint.
    public var gracePeriod: Duration
    /// Injected errors and latency, off unless `LORA_FAULT_*` is set.
    public var faults: FaultInjection

    /// A configuration of the given values.
    public init(
        host: String = "127.0.0.1", port: Int = 8080, modelDirectory: String, stateDirectory: String,
        outputDirectory: String, dataDirectory: String, workers: Int = 1, queueCapacity: Int = 8,
        embedThreads: Int = ProcessInfo.processInfo.activeProcessorCount, jobPriority: JobPriority = .idle, bodyLimit: Int = 4 << 20, gracePeriod: Duration = .seconds(30), faults: FaultInjection
    ) {
        self.host = host
        self.port = port
        self.modelDirectory = modelDirectory
        self.stateDirectory = stateDirectory
        self.outputDirectory = outputDirectory
        self.dataDirectory = dataDirectory
        self.workers = workers
        self.queueCapacity = queueCapacity
        self.embedThreads = max(1, embedThreads)
        self.jobPriority = jobPriority
        self.bodyLimit = bodyLimit
        self.gracePeriod = gracePeriod
        self.faults = faults
    }
}
