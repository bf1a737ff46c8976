import Foundation
import TackCore
import TackPipeline

/// Rolls back every account the execution touched, each on its own: an unreachable account is
/// retried with back-off and, past the progress deadline, given up as failed, while the others
/// finish. The execution ends in its rollback ending once every account is done.
struct RollbackDecider {
    let plan: RevisionPlan
    let options: EngineOptions

    func rollBack(_ observation: Observation, _ draft: inout DecisionDraft) {
        let now = draft.now
        for index in draft.execution.accounts.indices {
            var rollout = draft.execution.accounts[index]
            defer { draft.execution.accounts[index] = rollout }
            switch rollout.phase {
            case .rolledBack, .skipped, .failed: continue
            case .pending:
                rollout.phase = .skipped
                continue
            default: break
            }
            if rollout.mode == .undecided {
                rollout.phase = .rolledBack
                continue
            }
            if rollout.phase != .rollingBack {
                rollout.phase = .rollingBack
                rollout.stepStartedAt = now
                rollout.waitingFor = nil
            }
            rollBack(&rollout, observation, &draft)
        }
        if draft.execution.accounts.allSatisfy({ $0.phase.isDone && $0.phase != .succeeded }) {
            draft.execution.phase = draft.execution.rollbackEnding ?? .rolledBack
        }
    }

    private func rollBack(_ rollout: inout AccountRollout, _ observation: Observation, _ draft: inout DecisionDraft) {
        let now = draft.now
        if let retryAt = rollout.retryAt, now < retryAt {
            draft.requeue(at: retryAt)
            giveUpIfLate(&rollout, &draft)
            return
        }
        guard let cluster = plan.cluster(of: rollout) else {
            rollout.phase = .failed
            return
        }
        let status: WorkloadStatus
        switch observation.statuses[rollout.account] {
        case .status(let observed)?:
            rollout.recordSuccess()
            rollout.observed = observed
            status = observed
        case .unreachable(let message)?:
            rollout.recordFailure(message, at: now)
            draft.event(.driverError, message, account: rollout.account)
            draft.requeue(at: rollout.retryAt ?? now)
            giveUpIfLate(&rollout, &draft)
            return
        case nil:
            draft.requeue(after: .seconds(1))
            return
        }
        let serving: Track = cluster.strategy.judgedTrack == .canary ? .stable : .active
        let progress = RollbackDriver.drive(rollout, app: plan.app, size: cluster.targetSize, serving: serving,
                                            candidate: cluster.strategy.judgedTrack,
                                            splitsByReplicas: plan.splitsByReplicas(account: rollout.account), status: status)
        switch progress {
        case .complete:
            rollout.phase = .rolledBack
            rollout.waitingFor = nil
            let message = rollout.previousImage.map { "back on \($0)" } ?? "no earlier version to return to; the new version keeps running"
            draft.event(.stepCompleted, message, account: rollout.account)
        case .acting(let calls):
            rollout.waitingFor = calls.map(\.description).joined(separator: ", ")
            draft.act(rollout.account, calls)
        case .waiting(let reason), .waitingForReplicas(let reason), .needsPromote(let reason):
            rollout.waitingFor = reason
            draft.requeue(after: .seconds(1))
            giveUpIfLate(&rollout, &draft)
        case .analysisEnded:
            break
        }
    }

    /// Gives an account up as failed once its rollback has taken longer than the progress deadline.
    private func giveUpIfLate(_ rollout: inout AccountRollout, _ draft: inout DecisionDraft) {
        guard let started = rollout.stepStartedAt, draft.now.timeIntervalSince(started) > options.progressDeadline.seconds else { return }
        rollout.phase = .failed
        draft.event(.stepCompleted, "rollback given up after the progress deadline: \(rollout.error ?? rollout.waitingFor ?? "no progress")",
                    account: rollout.account)
    }
}
