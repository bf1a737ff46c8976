import Foundation
import TackCore
import TackPipeline

/// The reconciler: applies pipeline revisions, takes judgments, and drives every active execution
/// to its end with level-triggered passes from one work queue, a bounded number at a time, one
/// pass at a time per execution, with back-off after failed passes and a periodic resync.
public actor Engine {
    /// The store executions live in.
    public nonisolated let store: EngineStore
    /// Deadlines and intervals.
    public nonisolated let options: EngineOptions
    /// Pass durations, rollbacks, measurements and driver errors, for `/metrics`.
    public nonisolated let metrics = EngineMetrics()
    private let pass: ReconcilePass
    private let queue = WorkQueue()
    private var endWaiters: [Int64: [CheckedContinuation<Execution, Never>]] = [:]

    /// An engine on `store` that reaches accounts through `connector`.
    public init(store: EngineStore, connector: any AccountConnector, options: EngineOptions = EngineOptions(),
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.options = options
        self.pass = ReconcilePass(store: store, connector: connector, options: options, plans: PlanCache(), metrics: metrics, now: now)
    }

    /// Stores a revision made of these files and starts its execution; the same files applied
    /// again change nothing. The files must decode (they are checked again here).
    @discardableResult
    public func apply(pipelinePath: String, pipelineText: String, accountsPath: String, accountsText: String) async throws -> ApplyOutcome {
        let digest = SHA256.hex(Array(pipelineText.utf8) + [0] + Array(accountsText.utf8))
        var revision = PipelineRevision(app: "", number: 0, digest: digest, pipelinePath: pipelinePath, pipelineText: pipelineText,
                                        accountsPath: accountsPath, accountsText: accountsText, appliedAt: Date())
        let plan = try RevisionPlan.decode(revision)
        revision.app = plan.app
        let outcome = try store.apply(revision, accounts: plan.accountRollouts(), now: Date())
        outcome.superseded.forEach(notifyEnded)
        await queue.add(outcome.execution.id)
        return outcome
    }

    /// Asks the application's latest execution to go on (`promote`) or to stop and roll back (`abort`).
    @discardableResult
    public func judge(_ judgment: Judgment, app: String) async throws -> Execution {
        let execution = try store.requestJudgment(judgment, app: app, now: Date())
        await queue.add(execution.id)
        return execution
    }

    /// Reconciles until the task is cancelled: workers take executions from the queue, and every
    /// active execution is queued again each resync interval.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [queue, store, options] in
                while !Task.isCancelled {
                    for execution in (try? store.activeExecutions()) ?? [] { await queue.add(execution.id) }
                    try? await Task.sleep(for: options.resyncInterval)
                }
            }
            for _ in 0..<options.concurrency {
                group.addTask { await self.work() }
            }
            await withTaskCancellationHandler {
                await group.waitForAll()
            } onCancel: { [queue] in
                Task { await queue.shutDown() }
            }
        }
    }

    /// Waits until execution `id` has ended, and returns it.
    public func waitUntilEnded(_ id: Int64) async throws -> Execution {
        if let execution = try store.execution(id: id), execution.phase.isTerminal { return execution }
        return await withCheckedContinuation { endWaiters[id, default: []].append($0) }
    }

    private func work() async {
        while let id = await queue.next() {
            let started = ContinuousClock.now
            do {
                if let next = try await pass.run(id) {
                    await queue.forget(id)
                    await queue.add(id, after: next)
                } else {
                    await queue.forget(id)
                    notifyEnded(id)
                }
            } catch {
                await queue.addFailed(id)
            }
            metrics.observePass(ContinuousClock.now - started)
            await queue.done(id)
        }
    }

    private func notifyEnded(_ id: Int64) {
        guard let waiters = endWaiters.removeValue(forKey: id), let execution = try? store.execution(id: id) else { return }
        waiters.forEach { $0.resume(returning: execution) }
    }
}

extension Engine {
    /// Applies the files of the revision before the application's latest again, as a new
    /// revision: `kubectl rollout undo` for a pipeline.
    @discardableResult
    public func rollBack(app: String) async throws -> ApplyOutcome {
        let revisions = try store.revisions(app: app)
        guard let latest = revisions.last else { throw EngineError.noExecution(app: app) }
        guard let previous = revisions.last(where: { $0.number < latest.number && $0.digest != latest.digest }) else {
            throw EngineError.noPreviousRevision(app: app)
        }
        return try await apply(pipelinePath: previous.pipelinePath, pipelineText: previous.pipelineText,
                               accountsPath: previous.accountsPath, accountsText: previous.accountsText)
    }

    /// The view of execution `id`, or nil when there is none.
    public func view(_ id: Int64) async throws -> ExecutionView? {
        guard let execution = try store.execution(id: id) else { return nil }
        let plan = try? await pass.plans.plan(app: execution.app, revision: execution.revision, store: store)
        return ExecutionView(execution, plan: plan, rounds: try store.rounds(executionID: id, latest: MetricView.historyLength))
    }
}
