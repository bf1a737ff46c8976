import Foundation
import TackCore
import TackPipeline

/// One reconcile pass of one execution: read it, observe its accounts and analyses, decide,
/// persist the decision, then make its calls. Everything a pass learns is either persisted
/// before it acts or observed again by the next pass, so a pass may be cut short at any point.
struct ReconcilePass: Sendable {
    let store: EngineStore
    let connector: any AccountConnector
    let options: EngineOptions
    let plans: PlanCache
    let metrics: EngineMetrics
    let now: @Sendable () -> Date

    /// Runs the pass; returns when to run the next, or nil when the execution has ended.
    func run(_ id: Int64) async throws -> Duration? {
        guard var execution = try store.execution(id: id), !execution.phase.isTerminal else { return nil }
        let plan: RevisionPlan
        do {
            plan = try await plans.plan(app: execution.app, revision: execution.revision, store: store)
        } catch let error as EngineError {
            execution.phase = .failed
            execution.message = error.description
            execution.updatedAt = now()
            try store.save(execution, events: [EngineEvent(executionID: id, time: now(), kind: .phaseChanged, message: error.description)])
            return nil
        }
        let decider = ExecutionDecider(plan: plan, options: options)
        let blockedBy = try store.executions(app: execution.app)
            .first { $0.id < id && $0.phase == .rollingBack }?.id

        var observation = Observation(now: now(), blockedBy: blockedBy)
        if blockedBy == nil {
            observation.statuses = await observe(decider.accountsToObserve(execution), plan: plan)
            observation.resolved = await resolve(decider.accountsToResolve(execution), of: execution, plan: plan, into: &observation.statuses)
            observation.analyses = try await AnalysisMeasurer(store: store, connector: connector, plan: plan, metrics: metrics, now: now)
                .measure(plan.analyses(of: execution, options: options), executionID: id)
        }
        observation.now = now()

        let decision = decider.decide(execution, observation)
        // Refused when a newer revision superseded the execution while it was being decided: the
        // newer execution owns the accounts now, so this decision is dropped.
        guard try saveUnlessEnded(decision.execution, events: decision.events, loadedAt: execution.updatedAt) else { return nil }
        if decision.events.contains(where: { $0.kind == .rollbackStarted }) { metrics.countRollback(app: execution.app) }
        execution = decision.execution
        let failures = await perform(decision.actions, plan: plan)
        if !failures.isEmpty {
            let time = now()
            var events: [EngineEvent] = []
            for (account, message) in failures.sorted(by: { $0.key < $1.key }) {
                metrics.countDriverError(account: account)
                for index in execution.accounts.indices where execution.accounts[index].account == account {
                    execution.accounts[index].recordFailure(message, at: time)
                }
                events.append(EngineEvent(executionID: id, time: time, account: account, kind: .driverError, message: message))
            }
            let loaded = execution.updatedAt
            execution.updatedAt = time
            guard try saveUnlessEnded(execution, events: events, loadedAt: loaded) else { return nil }
        }
        guard !execution.phase.isTerminal else { return nil }
        // The next round of each analysis still measuring, from the states this pass rebuilt (an
        // analysis that started with this decision is due at once; an ended one is never due).
        let next = plan.analyses(of: execution, options: options).compactMap { spec -> Date? in
            guard let state = observation.analyses[Observation.key(account: spec.account, name: spec.name)] else {
                return spec.startedAt
            }
            return state.outcome.isFinal ? nil : state.nextRoundAt
        }.min()
        let untilRound = next.map { Duration.milliseconds(Int64(max(0.05, $0.timeIntervalSince(now())) * 1000)) }
        return min(decision.requeueAfter, untilRound ?? decision.requeueAfter)
    }

    /// Saves the execution; false when it ended meanwhile and the save was refused.
    private func saveUnlessEnded(_ execution: Execution, events: [EngineEvent], loadedAt: Date) throws -> Bool {
        do {
            try store.save(execution, events: events, loadedAt: loadedAt)
            return true
        } catch EngineError.endedMeanwhile {
            return false
        }
    }

    /// Each account's workload, read in parallel; a failure or a late answer is recorded as such.
    private func observe(_ accounts: [String], plan: RevisionPlan) async -> [String: AccountObservation] {
        await withTaskGroup(of: (String, AccountObservation).self) { group in
            for name in accounts {
                group.addTask {
                    do {
                        let driver = try await driver(name, plan: plan)
                        let status = try await withDeadline(options.driverTimeout, account: name) {
                            try await driver.status(app: plan.app)
                        }
                        return (name, .status(status))
                    } catch {
                        metrics.countDriverError(account: name)
                        return (name, .unreachable("reading the status of \(plan.app): \(error)"))
                    }
                }
            }
            var statuses: [String: AccountObservation] = [:]
            for await (name, observed) in group { statuses[name] = observed }
            return statuses
        }
    }

    /// The new image pinned by digest in each account; a failure marks the account unreachable.
    private func resolve(_ accounts: [String], of execution: Execution, plan: RevisionPlan,
                         into statuses: inout [String: AccountObservation]) async -> [String: ImageRef] {
        let wanted = accounts.compactMap { name -> (String, ImageRef)? in
            guard let rollout = execution.accounts.first(where: { $0.account == name && $0.stage == execution.stage }),
                  let cluster = plan.cluster(of: rollout) else { return nil }
            return (name, cluster.image)
        }
        let results = await withTaskGroup(of: (String, Result<ImageRef, any Error>).self) { group in
            for (name, image) in wanted {
                group.addTask {
                    do {
                        let driver = try await driver(name, plan: plan)
                        return (name, .success(try await withDeadline(options.driverTimeout, account: name) { try await driver.resolve(image) }))
                    } catch {
                        return (name, .failure(error))
                    }
                }
            }
            var results: [(String, Result<ImageRef, any Error>)] = []
            for await result in group { results.append(result) }
            return results
        }
        var resolved: [String: ImageRef] = [:]
        for (name, result) in results {
            switch result {
            case .success(let image): resolved[name] = image
            case .failure(let error):
                metrics.countDriverError(account: name)
                statuses[name] = .unreachable("resolving the image: \(error)")
            }
        }
        return resolved
    }

    /// Makes each account's calls in order, accounts in parallel; returns the first failure per account.
    private func perform(_ actions: [AccountActions], plan: RevisionPlan) async -> [String: String] {
        await withTaskGroup(of: (String, String?).self) { group in
            for batch in actions {
                group.addTask {
                    do {
                        let driver = try await driver(batch.account, plan: plan)
                        for action in batch.actions {
                            try await withDeadline(options.driverTimeout, account: batch.account) { try await action.perform(on: driver) }
                        }
                        return (batch.account, nil)
                    } catch {
                        return (batch.account, "\(error)")
                    }
                }
            }
            var failures: [String: String] = [:]
            for await (account, failure) in group { failures[account] = failure }
            return failures
        }
    }

    private func driver(_ name: String, plan: RevisionPlan) async throws -> any ClusterDriver {
        guard let account = plan.accounts.account(named: name) else {
            throw EngineError.unavailable(account: name, reason: "not in the accounts file of revision \(plan.revision.number)")
        }
        return try await connector.driver(for: account)
    }
}
