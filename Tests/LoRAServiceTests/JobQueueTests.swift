import Foundation
import LoRA
import Synchronization
import Testing
@testable import LoRAService

/// Records what the queue reports, and can hold a job's worker after a given step until released.
final class RecordingObserver: JobQueueObserver {
    struct State {
        var steps: [JobID: Int] = [:]
        var finished: [(JobID, JobState, Double)] = []
        var counts: [(Int, Int)] = []
        var holdAfterStep: Int?
        var isHolding = false
    }

    let state = Mutex(State())
    private let release = DispatchSemaphore(value: 0)

    init(holdAfterStep: Int? = nil) { state.withLock { $0.holdAfterStep = holdAfterStep } }

    func queueChanged(queued: Int, running: Int) { state.withLock { $0.counts.append((queued, running)) } }

    func jobFinished(_ job: Job, seconds: Double) { state.withLock { $0.finished.append((job.id, job.state, seconds)) } }

    func jobStepped(_ id: JobID, loss: Float, tokensPerSecond: Double) {
        let hold = state.withLock { state -> Bool in
            state.steps[id, default: 0] += 1
            guard state.steps[id] == state.holdAfterStep else { return false }
            state.isHolding = true
            return true
        }
        if hold { release.wait() }
    }

    /// Waits until a worker is held.
    func waitUntilHolding() async throws {
        try await poll { self.state.withLock { $0.isHolding } }
    }

    /// Lets the held worker go on.
    func releaseWorker() {
        state.withLock { $0.isHolding = false }
        release.signal()
    }
}

/// Polls `condition` every 5 ms for up to 120 s.
func poll(_ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(120)
    while !condition() {
        guard ContinuousClock.now < deadline else { throw CancellationError() }
        try await Task.sleep(for: .milliseconds(5))
    }
}

/// Waits until job `id` has ended and returns it.
func finished(_ id: JobID, in queue: JobQueue) async throws -> Job {
    try await poll { queue.get(id)?.state.isFinished == true }
    return queue.get(id)!
}

/// The job a submission accepted.
func accepted(_ result: JobQueue.SubmitResult) throws -> Job {
    guard case .accepted(let job) = result else { throw JobError.notAccepting }
    return job
}

@Suite("job queue", .serialized)
struct JobQueueTests {
    static let settings = "\"lora_rank\": 4, \"batch_size\": 4, \"threads\": 1, \"lora_dropout\": 0.1, \"eval_split\": 0.25"

    func spec(_ fixture: JobFixture, maxSteps: Int) throws -> JobSpec {
        try JobSpec(json: JobFixture.body(Self.settings + ", \"max_steps\": \(maxSteps)"), paths: fixture.paths)
    }

    @Test("a job runs to succeeded on the tiny model, with progress, metrics and an adapter")
    func runsToSuccess() async throws {
        let fixture = JobFixture()
        let observer = RecordingObserver()
        let queue = try JobQueue(paths: fixture.paths, observer: observer)
        let job = try accepted(queue.submit(spec(fixture, maxSteps: 5)))
        #expect(job.spec.data == .jobFile)
        #expect(FileManager.default.fileExists(atPath: job.outputDirectory + "/pairs.csv"))
        let done = try await finished(job.id, in: queue)
        #expect(done.state == .succeeded, "\(done.error ?? "")")
        #expect(done.progress.step == 5 && done.progress.totalSteps == 5)
        #expect(done.progress.loss != nil && (done.progress.tokensPerSecond ?? 0) > 0)
        #expect(done.progress.evaluationBefore != nil && done.progress.evaluationAfter != nil)
        #expect(done.startedAt != nil && done.finishedAt != nil)
        #expect(FileManager.default.fileExists(atPath: done.outputDirectory + "/adapter_model.safetensors"))
        observer.state.withLock { state in
            #expect(state.steps[job.id] == 5)
            #expect(state.finished.map(\.1) == [.succeeded])
            #expect(state.counts.last.map { $0 == (0, 0) } == true)
        }
        #expect(try JobJournal.replay(path: fixture.paths.journalPath).map(\.state) == [.succeeded])
        #expect(queue.list().map(\.id) == [job.id])
    }

    @Test("a full queue refuses a job with a retry time; cancelling a queued job ends it at once, a running one at its next step")
    func fullAndCancel() async throws {
        let fixture = JobFixture()
        let observer = RecordingObserver(holdAfterStep: 2)
        let queue = try JobQueue(paths: fixture.paths, configuration: .init(capacity: 1, workers: 1), observer: observer)
        let running = try accepted(queue.submit(spec(fixture, maxSteps: 50)))
        let waiting = try accepted(queue.submit(spec(fixture, maxSteps: 5)))
        #expect(running.state == .running && waiting.state == .queued)
        guard case .full(let seconds) = try queue.submit(spec(fixture, maxSteps: 5)) else {
            Issue.record("a third job should not fit")
            return
        }
        #expect(seconds >= 1)
        #expect(queue.list().count == 2, "a refused job leaves no record")

        guard case .cancelled(let cancelled) = queue.cancel(waiting.id) else { Issue.record("expected cancelled"); return }
        #expect(cancelled.state == .cancelled && cancelled.finishedAt != nil)
        try await observer.waitUntilHolding()
        guard case .stopping(let stopping) = queue.cancel(running.id) else { Issue.record("expected stopping"); return }
        #expect(stopping.state == .running && stopping.isCancelling)
        observer.releaseWorker()
        let done = try await finished(running.id, in: queue)
        #expect(done.state == .cancelled && done.progress.step == 2 && !done.isCancelling)
        #expect(FileManager.default.fileExists(atPath: done.outputDirectory + "/checkpoint-2"))
        #expect(queue.cancel(running.id) == .alreadyFinished(done))
        #expect(queue.cancel(JobID("ffffffffffffffffffff")!) == .notFound)
        #expect(try JobJournal.replay(path: fixture.paths.journalPath).map(\.state) == [.cancelled, .cancelled])
    }

    @Test("after a shutdown mid-job, a queue on the same state dir resumes it and ends with an uninterrupted run's adapter bytes")
    func shutdownAndResume() async throws {
        let reference = JobFixture()
        let uninterrupted = try JobQueue(paths: reference.paths)
        let referenceJob = try await finished(try accepted(uninterrupted.submit(spec(reference, maxSteps: 12))).id, in: uninterrupted)
        #expect(referenceJob.state == .succeeded)

        let fixture = JobFixture()
        let observer = RecordingObserver(holdAfterStep: 4)
        let queue = try JobQueue(paths: fixture.paths, configuration: .init(capacity: 4, workers: 1), observer: observer)
        let job = try accepted(queue.submit(spec(fixture, maxSteps: 12)))
        let later = try accepted(queue.submit(spec(fixture, maxSteps: 3)))
        try await observer.waitUntilHolding()
        let shutdown = Task { await queue.shutdown(grace: .seconds(60)) }
        try await poll { !queue.isAccepting }
        #expect(throws: JobError.notAccepting) { try queue.submit(spec(fixture, maxSteps: 3)) }
        observer.releaseWorker()
        await shutdown.value
        let journaled = try JobJournal.replay(path: fixture.paths.journalPath)
        #expect(journaled.map(\.state) == [.queued, .queued])
        #expect(journaled[0].isInterrupted && journaled[0].progress.checkpointStep == 4)
        #expect(FileManager.default.fileExists(atPath: job.outputDirectory + "/checkpoint-4"))

        let restarted = try JobQueue(paths: fixture.paths)
        let resumed = try await finished(job.id, in: restarted)
        #expect(resumed.state == .succeeded && resumed.progress.step == 12 && !resumed.isInterrupted)
        #expect(try await finished(later.id, in: restarted).state == .succeeded)
        let adapter = "/adapter_model.safetensors"
        #expect(FileManager.default.contents(atPath: resumed.outputDirectory + adapter)
                == FileManager.default.contents(atPath: referenceJob.outputDirectory + adapter))
    }

    @Test("after a crash, a job the journal shows running starts again and a queued one runs")
    func crashRecovery() async throws {
        let fixture = JobFixture()
        var jobs: [Job] = []
        for number in 1...2 {
            let spec = try spec(fixture, maxSteps: 3)
            let id = JobID("0000000000000000000\(number)")!
            let directory = fixture.paths.outputDirectory(of: id)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            guard case .pairs(let pairs) = spec.data else { return }
            try Data(JobData.csv(pairs)).write(to: URL(fileURLWithPath: directory + "/pairs.csv"))
            var job = Job(id: id, createdAt: Date(), outputDirectory: directory, spec: JobSpec(settings: spec.settings, data: .jobFile))
            job.state = number == 1 ? .running : .queued
            jobs.append(job)
        }
        try FileManager.default.createDirectory(atPath: fixture.paths.stateDirectory, withIntermediateDirectories: true)
        try JobJournal.compact(jobs, path: fixture.paths.journalPath)

        let queue = try JobQueue(paths: fixture.paths, configuration: .init(workers: 2))
        for job in jobs { #expect(try await finished(job.id, in: queue).state == .succeeded) }
    }

    @Test("a job trained on the service's loaded model writes the same adapter bytes as one that loads its own")
    func sharedModel() async throws {
        let (own, shared) = (JobFixture(), JobFixture())
        let ownQueue = try JobQueue(paths: own.paths)
        let sharedQueue = try JobQueue(paths: shared.paths, model: Encoder(directory: shared.paths.modelDirectory))
        let ownJob = try await finished(try accepted(ownQueue.submit(spec(own, maxSteps: 3))).id, in: ownQueue)
        let sharedJob = try await finished(try accepted(sharedQueue.submit(spec(shared, maxSteps: 3))).id, in: sharedQueue)
        #expect(ownJob.state == .succeeded && sharedJob.state == .succeeded)
        let adapter = "/adapter_model.safetensors"
        #expect(try Data(contentsOf: URL(fileURLWithPath: ownJob.outputDirectory + adapter))
                == Data(contentsOf: URL(fileURLWithPath: sharedJob.outputDirectory + adapter)))
    }

    @Test("a job's thread runs at the configured priority: low is nice 10, idle is nice 19 under SCHED_IDLE",
          arguments: [(JobPriority.low, 10, 0), (JobPriority.idle, 19, 5)])
    func priority(priority: JobPriority, nice: Int, policy: Int) async throws {
        let fixture = JobFixture()
        let observer = RecordingObserver(holdAfterStep: 1)
        let queue = try JobQueue(paths: fixture.paths, configuration: .init(priority: priority), observer: observer)
        let job = try accepted(queue.submit(spec(fixture, maxSteps: 2)))
        try await observer.waitUntilHolding()
        let threads = ThreadNiceness.all()
        observer.releaseWorker()
        _ = try await finished(job.id, in: queue)
        #expect(threads.contains { $0.name == "lora-job" && $0.nice == nice && $0.policy == policy }, "\(threads)")
        // Only this test uses low, so exactly one thread is at 10; the service's jobs default to idle.
        if priority == .low { #expect(threads.filter { $0.nice == 10 }.count == 1, "\(threads)") }
        #expect(threads.filter { $0.name != "lora-job" }.allSatisfy { $0.policy == 0 }, "\(threads)")
    }

    @Test("a job whose data vanished before it ran fails with the validation message")
    func failure() async throws {
        let fixture = JobFixture()
        try fixture.writeData("pairs.csv")
        let spec = try JobSpec(json: Array("{\"data_path\": \"pairs.csv\", \"max_steps\": 2}".utf8), paths: fixture.paths)
        try FileManager.default.removeItem(atPath: fixture.paths.dataRoot + "/pairs.csv")
        let queue = try JobQueue(paths: fixture.paths)
        let done = try await finished(try accepted(queue.submit(spec)).id, in: queue)
        #expect(done.state == .failed)
        #expect(done.error?.contains("data_path: pairs.csv does not exist under the data root") == true)
    }
}
