import Foundation
import LoRA
import Synchronization

/// The training service's jobs: a bounded queue, a fixed number of workers (a thread per running job),
/// cancel, progress, and a journal in the state dir so a restart (after SIGTERM or a crash) queues the
/// queued jobs again and resumes the running ones from their latest checkpoint.
public final class JobQueue: Sendable {
    /// How many jobs wait and run, and how often progress is journaled.
    public struct Configuration: Sendable {
        /// The most queued (not running) jobs; a submission beyond is refused with a retry time.
        public var capacity: Int
        /// The most jobs running at once.
        public var workers: Int
        /// The least seconds between two progress records of a job in the journal.
        public var progressInterval: TimeInterval
        /// How a job's thread competes with the rest of the process for the cores.
        public var priority: JobPriority
        /// The current time, for timestamps and ids.
        public var now: @Sendable () -> Date

        /// A configuration; the defaults suit a 2-core machine.
        public init(capacity: Int = 16, workers: Int = 1, progressInterval: TimeInterval = 5, priority: JobPriority = .normal,
                    now: @escaping @Sendable () -> Date = { Date() }) {
            precondition(capacity >= 1 && workers >= 1, "capacity and workers must be at least 1")
            self.capacity = capacity
            self.workers = workers
            self.progressInterval = progressInterval
            self.priority = priority
            self.now = now
        }
    }

    /// The answer to a submission.
    public enum SubmitResult: Sendable, Equatable {
        /// The job is queued (or already running).
        case accepted(Job)
        /// The queue is full (HTTP 429 with Retry-After).
        case full(retryAfterSeconds: Int)
    }

    /// The answer to a cancel.
    public enum CancelResult: Sendable, Equatable {
        /// The job was queued and is now cancelled.
        case cancelled(Job)
        /// The job is running; it stops at its next step boundary and then becomes cancelled.
        case stopping(Job)
        /// The job had already ended; nothing changed.
        case alreadyFinished(Job)
        /// No job has that id.
        case notFound
    }

    /// The directories jobs use.
    public let paths: JobPaths
    let configuration: Configuration
    let observer: any JobQueueObserver
    /// The service's loaded base model, which every job trains on (its frozen weights are shared).
    let model: Encoder?
    let state: Mutex<Locked>

    /// What the lock guards: the decisions, the journal they are recorded in, and shutdown's waiters.
    struct Locked {
        var machine: JobQueueStateMachine
        let journal: JobJournal
        var idleWaiters: [UUID: CheckedContinuation<Void, Never>] = [:]
    }

    /// Opens the journal in `paths.stateDirectory` (compacting it), queues its queued and interrupted jobs
    /// again and starts as many as there are workers. Jobs train on `model` when given, which must be
    /// the model in `paths.modelDirectory`, instead of each loading a copy.
    public init(
        paths: JobPaths, configuration: Configuration = Configuration(), observer: (any JobQueueObserver)? = nil,
        model: Encoder? = nil
    ) throws(JobError) {
        self.paths = paths
        self.model = model
        self.configuration = configuration
        self.observer = observer ?? SilentJobQueueObserver()
        let (journal, jobs) = try JobJournal.open(path: paths.journalPath)
        let machine = JobQueueStateMachine(
            capacity: configuration.capacity, workers: configuration.workers, progressInterval: configuration.progressInterval)
        state = Mutex(Locked(machine: machine, journal: journal))
        let now = configuration.now()
        update { machine in ((), machine.restore(jobs, now: now)) }
    }

    /// Queues a validated spec as a new job: creates its directory, writes inline pairs to `pairs.csv` there
    /// and journals it. Throws `.notAccepting` during shutdown, `.cannotWrite` when a file cannot be written.
    public func submit(_ spec: JobSpec) throws(JobError) -> SubmitResult {
        let now = configuration.now()
        let paths = self.paths
        let (result, actions, failures) = try state.withLock { locked throws(JobError) in
            let id: JobID
            switch locked.machine.reserve(now: now) {
            case .notAccepting: throw JobError.notAccepting
            case .full(let seconds): return (SubmitResult.full(retryAfterSeconds: seconds), [JobQueueStateMachine.Action](), [JobError]())
            case .reserved(let reserved): id = reserved
            }
            let directory = paths.outputDirectory(of: id)
            do throws(JobError) {
                let job = try Self.prepare(spec, id: id, directory: directory, now: now)
                try locked.journal.append(job, sync: true)
                let actions = locked.machine.enqueue(job, now: now)
                let failures = Self.journal(actions, to: locked.journal)
                return (.accepted(locked.machine.jobs[id] ?? job), actions, failures)
            } catch {
                try? FileManager.default.removeItem(atPath: directory)
                throw error
            }
        }
        perform(actions, failures)
        return result
    }

    /// The job with `id`, or nil.
    public func get(_ id: JobID) -> Job? { state.withLock { $0.machine.jobs[id] } }

    /// Every job the journal knows, oldest first.
    public func list() -> [Job] { state.withLock { $0.machine.jobs.values.sorted { $0.id < $1.id } } }

    /// The number of queued and of running jobs.
    public var counts: (queued: Int, running: Int) {
        state.withLock { ($0.machine.queued.count, $0.machine.running.count) }
    }

    /// Whether submissions are taken (false once shutdown has begun), for `/readyz`.
    public var isAccepting: Bool { state.withLock { $0.machine.isAccepting } }

    /// Cancels a queued job at once, or asks a running one to stop at its next step boundary.
    public func cancel(_ id: JobID) -> CancelResult {
        let now = configuration.now()
        return update { machine in machine.cancel(id, now: now) }
    }

    /// Stops taking jobs, asks running jobs to checkpoint and stop, and waits for them up to `grace`; jobs
    /// still running then are journaled as interrupted. Queued and interrupted jobs run again after a restart.
    public func shutdown(grace: Duration) async {
        let running = update { machine in
            let running = machine.shutdown()
            return (running, [.counts(queued: machine.queued.count, running: running.count)])
        }
        guard !running.isEmpty else { return }
        let isIdle = await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.waitUntilIdle(); return true }
            group.addTask { try? await Task.sleep(for: grace); return false }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        if !isIdle { update { machine in ((), machine.interruptedRecords()) } }
    }

    /// Runs an event through the state machine under the lock, journals its records there (in order), and
    /// performs its other actions after releasing the lock.
    @discardableResult
    func update<Value: Sendable>(
        _ event: (inout JobQueueStateMachine) -> (Value, [JobQueueStateMachine.Action])
    ) -> Value {
        let (value, actions, failures, waiters) = state.withLock { locked in
            let (value, actions) = event(&locked.machine)
            var failures = Self.journal(actions, to: locked.journal)
            // Progress lines pile up while jobs run; the file is rewritten before it grows far.
            if locked.journal.needsCompaction(jobs: locked.machine.jobs.count) {
                do throws(JobError) { try locked.journal.compact(locked.machine.jobs.values.sorted { $0.id < $1.id }) } catch {
                    failures.append(error)
                }
            }
            var waiters: [CheckedContinuation<Void, Never>] = []
            if locked.machine.running.isEmpty {
                waiters = Array(locked.idleWaiters.values)
                locked.idleWaiters = [:]
            }
            return (value, actions, failures, waiters)
        }
        perform(actions, failures)
        waiters.forEach { $0.resume() }
        return value
    }

    /// Appends the actions' records to the journal; returns the failures.
    private static func journal(_ actions: [JobQueueStateMachine.Action], to journal: JobJournal) -> [JobError] {
        var failures: [JobError] = []
        for case let .record(job, sync) in actions {
            do { try journal.append(job, sync: sync) } catch { failures.append(error) }
        }
        return failures
    }

    /// Starts workers and tells the observer; records were journaled under the lock.
    private func perform(_ actions: [JobQueueStateMachine.Action], _ failures: [JobError]) {
        failures.forEach(observer.journalWriteFailed)
        for action in actions {
            switch action {
            case .record: break
            case .start(let job): startWorker(for: job)
            case let .counts(queued, running): observer.queueChanged(queued: queued, running: running)
            case let .finished(job, seconds): observer.jobFinished(job, seconds: seconds)
            case let .stepped(id, loss, tokensPerSecond): observer.jobStepped(id, loss: loss, tokensPerSecond: tokensPerSecond)
            }
        }
    }

    /// The job as submitted: its directory made, inline pairs written to `pairs.csv` and the spec pointing there.
    private static func prepare(_ spec: JobSpec, id: JobID, directory: String, now: Date) throws(JobError) -> Job {
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw .cannotWrite(path: directory, reason: error.localizedDescription)
        }
        var spec = spec
        if case .pairs(let pairs) = spec.data {
            try DurableFile.write(JobData.csv(pairs), to: directory + "/" + JobData.jobFileName)
            spec.data = .jobFile
        }
        DurableFile.syncDirectory(directory)
        return Job(id: id, createdAt: now, outputDirectory: directory, spec: spec)
    }

    /// Returns when no job is running, or when the calling task is cancelled.
    private func waitUntilIdle() async {
        let key = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let isIdle = state.withLock { locked in
                    guard !locked.machine.running.isEmpty, !Task.isCancelled else { return true }
                    locked.idleWaiters[key] = continuation
                    return false
                }
                if isIdle { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.idleWaiters.removeValue(forKey: key) }?.resume()
        }
    }
}
