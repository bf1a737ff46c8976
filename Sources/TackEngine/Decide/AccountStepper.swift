import Foundation
import TackCore
import TackPipeline

/// Walks each account of the current deploy stage through its steps as far as the observed state
/// allows, in parallel across accounts: one account's wait or error never holds another.
struct AccountStepper {
    let plan: RevisionPlan
    let options: EngineOptions

    /// What an account asks of the whole execution.
    private enum Signal {
        case pause(String, RollbackCause?)
        case analysisEnded(AnalysisOutcome, RollbackCause?, account: String, what: String)
        case rollBack(ending: ExecutionPhase, message: String)
    }

    /// Advances every account of the current stage; true when all of them have succeeded.
    func advanceStage(_ observation: Observation, _ draft: inout DecisionDraft) -> Bool {
        var signals: [Signal] = []
        for index in draft.execution.accounts.indices where draft.execution.accounts[index].stage == draft.execution.stage {
            if let signal = advance(index, observation, &draft) { signals.append(signal) }
        }
        let decider = ExecutionDecider(plan: plan, options: options)
        // A rollback outweighs a pause; the first of each kind is the one reported.
        for signal in signals {
            switch signal {
            case .rollBack(let ending, let message):
                decider.startRollback(ending: ending, message: message, cause: nil, &draft)
                RollbackDecider(plan: plan, options: options).rollBack(observation, &draft)
                return false
            case .analysisEnded(let outcome, let cause, let account, let what) where plan.rollsBackAutomatically && !outcome.isInconclusive:
                decider.analysisEnded(outcome, cause: cause, account: account, what: what, &draft)
                RollbackDecider(plan: plan, options: options).rollBack(observation, &draft)
                return false
            default: continue
            }
        }
        for signal in signals {
            switch signal {
            case .pause(let reason, let cause):
                decider.pause(reason, cause: cause, &draft)
                return false
            case .analysisEnded(let outcome, let cause, let account, let what):
                decider.analysisEnded(outcome, cause: cause, account: account, what: what, &draft)
                return false
            case .rollBack: continue
            }
        }
        return draft.execution.accounts.filter { $0.stage == draft.execution.stage }.allSatisfy { $0.phase == .succeeded }
    }

    /// Moves one account as far as it can go in this pass.
    private func advance(_ index: Int, _ observation: Observation, _ draft: inout DecisionDraft) -> Signal? {
        var rollout = draft.execution.accounts[index]
        defer { draft.execution.accounts[index] = rollout }
        guard !rollout.phase.isDone else { return nil }
        let now = draft.now
        if let retryAt = rollout.retryAt, now < retryAt {
            draft.requeue(at: retryAt)
            return deadlineSignal(rollout, now)
        }
        switch observation.statuses[rollout.account] {
        case .unreachable(let message)?:
            rollout.recordFailure(message, at: now)
            draft.event(.driverError, message, account: rollout.account)
            draft.requeue(at: rollout.retryAt ?? now)
            return deadlineSignal(rollout, now)
        case nil:
            draft.requeue(after: .seconds(1))
            return nil
        case .status(let status)?:
            rollout.recordSuccess()
            rollout.observed = status
            return walk(&rollout, status: status, observation, &draft)
        }
    }

    /// Rolls back the execution when an account has failed for longer than the progress deadline.
    private func deadlineSignal(_ rollout: AccountRollout, _ now: Date) -> Signal? {
        guard let since = rollout.errorSince, now.timeIntervalSince(since) > options.progressDeadline.seconds else { return nil }
        return .rollBack(ending: .failed, message: "account \(rollout.account) kept failing for longer than the progress deadline "
                         + "(\(DurationText.format(options.progressDeadline))): \(rollout.error ?? "unknown error")")
    }

    private func walk(_ rollout: inout AccountRollout, status: WorkloadStatus, _ observation: Observation,
                      _ draft: inout DecisionDraft) -> Signal? {
        let now = draft.now
        guard let cluster = plan.cluster(of: rollout) else {
            return .rollBack(ending: .failed, message: "account \(rollout.account) is not in the revision's deploy stage")
        }
        if rollout.image == nil {
            guard let pinned = observation.resolved[rollout.account] else {
                draft.requeue(after: .seconds(1))
                return nil
            }
            rollout.image = pinned
        }
        guard let image = rollout.image else { return nil }
        if rollout.mode == .undecided { choose(&rollout, cluster: cluster, image: image, status: status, &draft) }
        let steps = plan.steps(of: rollout)
        let watched = plan.isWatched(rollout.account) && !plan.conditions.isEmpty && rollout.mode == .progressive
        while true {
            guard rollout.step < steps.count else {
                rollout.phase = .succeeded
                rollout.waitingFor = nil
                draft.event(.stepCompleted, "\(plan.app) runs \(image) here", account: rollout.account)
                return nil
            }
            let step = steps[rollout.step]
            rollout.phase = step.phase
            if rollout.stepStartedAt == nil {
                rollout.stepStartedAt = now
                draft.event(.stepStarted, "step \(rollout.step + 1) of \(steps.count): \(step.summary)", account: rollout.account)
            }
            let context = StepContext(
                app: plan.app, rollout: rollout, image: image, cluster: cluster, status: status,
                analysis: observation.analysis(rollout.account, AnalysisSpec.stepName(rollout.step, epoch: rollout.analysisEpoch)),
                monitor: observation.analysis(rollout.account, AnalysisSpec.monitorName(epoch: rollout.analysisEpoch)),
                needsHealthyMonitor: watched, splitsByReplicas: plan.splitsByReplicas(account: rollout.account))
            switch StepDriver.drive(step, context, startedAt: rollout.stepStartedAt ?? now, now: now) {
            case .complete:
                draft.event(.stepCompleted, "step \(rollout.step + 1) of \(steps.count) done: \(step.summary)", account: rollout.account)
                if rollout.mode == .progressive && rollout.monitorStartedAt == nil && step.startsNewVersion {
                    rollout.monitorStartedAt = now
                }
                rollout.step += 1
                rollout.stepStartedAt = nil
                rollout.waitingFor = nil
            case .acting(let calls):
                rollout.waitingFor = calls.map(\.description).joined(separator: ", ")
                draft.act(rollout.account, calls)
                return nil
            case .waiting(let reason):
                rollout.waitingFor = reason
                draft.requeue(after: .seconds(1))
                return nil
            case .waitingForReplicas(let reason):
                rollout.waitingFor = reason
                draft.requeue(after: .seconds(1))
                if let failed = status.tracks.first(where: { $0.failure != nil }), let failure = failed.failure {
                    // The cluster gave the rollout up (ProgressDeadlineExceeded): waiting longer cannot help.
                    return .rollBack(ending: .failed, message: "\(rollout.account): \(failed.track.rawValue) failed: \(failure)")
                }
                let started = rollout.stepStartedAt ?? now
                guard now.timeIntervalSince(started) > options.progressDeadline.seconds else { return nil }
                return .rollBack(ending: .failed, message: "\(rollout.account): \(reason), still after the progress deadline "
                                 + "(\(DurationText.format(options.progressDeadline)))")
            case .needsPromote(let reason):
                rollout.waitingFor = reason
                return .pause("\(rollout.account) \(step.summary): \(reason)", nil)
            case .analysisEnded(let outcome, let cause):
                let what = step.isAnalysis ? "the analysis of step \(rollout.step + 1)" : "the monitor"
                return .analysisEnded(outcome, cause, account: rollout.account, what: what)
            }
        }
    }

    /// Decides how the account gets the new version, from what it runs now.
    private func choose(_ rollout: inout AccountRollout, cluster: ClusterDeployment, image: ImageRef, status: WorkloadStatus,
                        _ draft: inout DecisionDraft) {
        let serving: Track = cluster.strategy.judgedTrack == .canary ? .stable : .active
        if let current = status[serving] {
            rollout.previousImage = current.image
            rollout.mode = ImageRef.sameImage(current.image, image) ? .current : .progressive
        } else {
            rollout.mode = .initial
        }
        rollout.step = 0
        rollout.stepStartedAt = nil
        let how = switch rollout.mode {
        case .initial: "nothing runs here yet: \(image) becomes \(serving.rawValue) at once"
        case .current: "\(serving.rawValue) already runs \(image)"
        default: "\(cluster.strategy.name) from \(rollout.previousImage.map(\.description) ?? "nothing") to \(image)"
        }
        draft.event(.stepStarted, how, account: rollout.account)
    }
}

extension RolloutStep {
    /// Whether the new version takes traffic once the step is complete, from when the monitor
    /// watches it: the first weight above 0 of a canary, a ready preview. A canary that never
    /// becomes ready is thus left to the progress deadline, not to the monitor's no-data pause.
    var startsNewVersion: Bool {
        switch self {
        case .setWeight(let weight): weight > 0
        case .startPreview: true
        default: false
        }
    }

    /// Whether the step is an analysis gate.
    var isAnalysis: Bool {
        if case .analysis = self { true } else { false }
    }
}
