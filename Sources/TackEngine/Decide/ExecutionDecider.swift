import Foundation
import TackCore
import TackPipeline

/// Decides an execution's next state and driver calls from what a pass observed. It performs no
/// I/O: the reconciler persists the decision, then makes the calls, then looks again.
///
/// Order of one decision: a pending judgment; a rollback in progress; the analyses (a failed
/// condition rolls back or pauses); then the current stage, whose accounts each walk their steps
/// (`StepDriver`) as far as the observed state allows.
public struct ExecutionDecider: Sendable {
    /// The revision the execution rolls out.
    public let plan: RevisionPlan
    /// Deadlines and intervals.
    public let options: EngineOptions

    /// A decider.
    public init(plan: RevisionPlan, options: EngineOptions) {
        self.plan = plan
        self.options = options
    }

    /// The next state, calls and events of `execution` given `observation`.
    public func decide(_ execution: Execution, _ observation: Observation) -> Decision {
        var draft = DecisionDraft(execution, now: observation.now, resync: options.resyncInterval)
        guard !execution.phase.isTerminal else { return draft.decision }
        if let blocker = observation.blockedBy {
            draft.execution.message = "waiting for execution \(blocker) of \(plan.app) to finish rolling back"
            draft.requeue(after: .seconds(1))
            return draft.decision
        }
        let before = execution.phase
        if let judgment = execution.judgment {
            draft.execution.judgment = nil
            apply(judgment, observation, &draft)
        }
        if draft.execution.phase != .rollingBack {
            checkAnalyses(observation, &draft)
        }
        if draft.execution.phase == .rollingBack {
            RollbackDecider(plan: plan, options: options).rollBack(observation, &draft)
        } else if draft.execution.pauseReason == nil || isAtJudgmentStage(draft.execution) {
            // A manual judgment's wait runs on every pass, so that its timeout fires.
            runStages(observation, &draft)
        }
        settlePhase(&draft)
        if draft.execution.phase != before {
            draft.event(.phaseChanged, "\(before.rawValue) → \(draft.execution.phase.rawValue)"
                + (draft.execution.message.map { ": \($0)" } ?? ""))
        }
        return draft.decision
    }

    /// The accounts whose workload the next pass should read.
    public func accountsToObserve(_ execution: Execution) -> [String] {
        let rows = execution.phase == .rollingBack
            ? execution.accounts.filter { !$0.phase.isDone || $0.phase == .succeeded }
            : execution.accounts.filter { $0.stage == execution.stage && !$0.phase.isDone }
        return Array(Set(rows.map(\.account))).sorted()
    }

    /// The accounts whose new image the next pass should pin.
    public func accountsToResolve(_ execution: Execution) -> [String] {
        guard execution.phase != .rollingBack, !execution.phase.isTerminal else { return [] }
        return execution.accounts.filter { $0.stage == execution.stage && $0.image == nil }.map(\.account)
    }

    // MARK: - Judgments

    private func apply(_ judgment: Judgment, _ observation: Observation, _ draft: inout DecisionDraft) {
        switch judgment {
        case .abort:
            guard draft.execution.phase != .rollingBack else { return }
            draft.event(.judgment, "aborted by a user")
            startRollback(ending: .aborted, message: "aborted by a user", cause: nil, &draft)
        case .promote:
            guard draft.execution.pauseReason != nil else {
                draft.event(.judgment, "promote asked, but nothing waits for it")
                return
            }
            draft.event(.judgment, "promoted by a user: \(draft.execution.pauseReason ?? "")")
            resume(observation, &draft)
        }
    }

    /// Goes on past whatever paused the execution: a pause or promotion wait is completed, an
    /// analysis that ended without passing is skipped, and the analyses start afresh.
    private func resume(_ observation: Observation, _ draft: inout DecisionDraft) {
        let now = draft.now
        draft.execution.pauseReason = nil
        draft.execution.cause = nil
        if isAtJudgmentStage(draft.execution) {
            nextStage(&draft)
            return
        }
        for index in draft.execution.accounts.indices where draft.execution.accounts[index].stage == draft.execution.stage {
            var rollout = draft.execution.accounts[index]
            guard !rollout.phase.isDone, rollout.mode == .progressive else { continue }
            let steps = plan.steps(of: rollout)
            if rollout.step < steps.count {
                let step = steps[rollout.step]
                let skipped = switch step {
                case .pause(nil), .awaitPromotion: true
                // Only an analysis that ended without passing is skipped; one still measuring (the
                // pause came from elsewhere) starts afresh below, like the monitor.
                case .analysis: observation.analysis(rollout.account, AnalysisSpec.stepName(rollout.step, epoch: rollout.analysisEpoch))
                    .map { $0.outcome.isFinal && $0.outcome != .successful } ?? false
                default: false
                }
                if skipped {
                    draft.event(.stepCompleted, "\(step.summary): skipped by promote", account: rollout.account)
                    rollout.step += 1
                    rollout.stepStartedAt = nil
                } else if step.isAnalysis {
                    rollout.stepStartedAt = now
                }
            }
            rollout.analysisEpoch += 1
            if rollout.monitorStartedAt != nil { rollout.monitorStartedAt = now }
            draft.execution.accounts[index] = rollout
        }
    }

    // MARK: - Analyses

    /// A background monitor that ended without passing rolls back or pauses the execution.
    private func checkAnalyses(_ observation: Observation, _ draft: inout DecisionDraft) {
        for rollout in draft.execution.accounts where rollout.mode == .progressive && !rollout.phase.isDone {
            guard let monitor = observation.analysis(rollout.account, AnalysisSpec.monitorName(epoch: rollout.analysisEpoch)) else { continue }
            switch monitor.outcome {
            case .running, .successful: continue
            case .failed, .error, .inconclusive:
                analysisEnded(monitor.outcome, cause: monitor.cause, account: rollout.account, what: "the monitor", &draft)
                return
            }
        }
    }

    /// Rolls back (a failed or unreadable analysis under `trigger: automatic`) or pauses.
    func analysisEnded(_ outcome: AnalysisOutcome, cause: RollbackCause?, account: String, what: String, _ draft: inout DecisionDraft) {
        let message = "\(what) in \(account) ended \(outcome)"
        guard outcome.isFinal, outcome != .successful else { return }
        let rollsBack = plan.rollsBackAutomatically && !outcome.isInconclusive
        if rollsBack {
            draft.event(.analysisEnded, message, account: account)
            startRollback(ending: .rolledBack, message: message, cause: cause, &draft)
        } else if draft.execution.pauseReason == nil {
            draft.event(.analysisEnded, message, account: account)
            pause(message + "; promote to go on, abort to roll back", cause: cause, &draft)
        }
    }

    // MARK: - Stages

    private func runStages(_ observation: Observation, _ draft: inout DecisionDraft) {
        let stages = plan.pipeline.stages
        while draft.execution.stage < stages.count {
            if draft.execution.stageStartedAt == nil {
                draft.execution.stageStartedAt = draft.now
                let stage = stages[draft.execution.stage]
                draft.event(.stageStarted, "stage \(draft.execution.stage + 1) (\(stage.name ?? stage.type)) started")
            }
            switch stages[draft.execution.stage].kind {
            case .monitor, .rollback:
                nextStage(&draft)
            case .manualJudgment(let judgment):
                guard waitForJudgment(judgment, &draft) else { return }
            case .deploy:
                let stepper = AccountStepper(plan: plan, options: options)
                guard stepper.advanceStage(observation, &draft) else { return }
                nextStage(&draft)
            }
        }
    }

    /// Whether the judgment stage is over (it timed out with `continue`); otherwise the execution
    /// pauses for it, or rolls back when it timed out with `rollback`.
    private func waitForJudgment(_ judgment: ManualJudgmentStage, _ draft: inout DecisionDraft) -> Bool {
        if let timeout = judgment.timeout, let started = draft.execution.stageStartedAt {
            let ends = started.addingTimeInterval(timeout.seconds)
            if draft.now >= ends {
                switch judgment.onTimeout {
                case .continue:
                    draft.event(.judgment, "manual judgment timed out; continuing")
                    draft.execution.pauseReason = nil
                    nextStage(&draft)
                    return true
                case .rollback:
                    startRollback(ending: .rolledBack, message: "manual judgment timed out", cause: nil, &draft)
                    RollbackDecider(plan: plan, options: options).rollBack(Observation(now: draft.now), &draft)
                    return false
                }
            }
            draft.requeue(at: ends)
        }
        pause("manual judgment: " + (judgment.instructions ?? "promote to go on, abort to roll back"), cause: nil, &draft)
        return false
    }

    /// Whether the execution stands at a manual judgment stage.
    private func isAtJudgmentStage(_ execution: Execution) -> Bool {
        guard execution.stage < plan.pipeline.stages.count,
              case .manualJudgment = plan.pipeline.stages[execution.stage].kind else { return false }
        return true
    }

    private func nextStage(_ draft: inout DecisionDraft) {
        draft.execution.stage += 1
        draft.execution.stageStartedAt = nil
    }

    // MARK: - Phase changes

    func pause(_ reason: String, cause: RollbackCause?, _ draft: inout DecisionDraft) {
        draft.execution.pauseReason = reason
        draft.execution.cause = cause ?? draft.execution.cause
        draft.execution.message = reason
        draft.dropActions()
    }

    func startRollback(ending: ExecutionPhase, message: String, cause: RollbackCause?, _ draft: inout DecisionDraft) {
        draft.dropActions()
        draft.execution.phase = .rollingBack
        draft.execution.rollbackEnding = ending
        draft.execution.pauseReason = nil
        draft.execution.cause = cause
        draft.execution.message = message
        draft.event(.rollbackStarted, "rolling back every account: \(cause?.description ?? message)")
        for index in draft.execution.accounts.indices {
            draft.execution.accounts[index].stepStartedAt = nil
        }
    }

    /// The execution's phase from where its parts stand.
    private func settlePhase(_ draft: inout DecisionDraft) {
        let execution = draft.execution
        guard execution.phase != .rollingBack, !execution.phase.isTerminal else { return }
        if execution.stage >= plan.pipeline.stages.count {
            draft.execution.phase = .succeeded
            draft.execution.message = "every account runs \(plan.app) revision \(execution.revision)"
        } else if execution.pauseReason != nil {
            draft.execution.phase = .paused
        } else {
            let phases = execution.accounts.filter { $0.stage == execution.stage }.map(\.phase)
            draft.execution.phase = phases.contains(.deploying) ? .deploying
                : phases.contains(.progressing) ? .progressing
                : phases.contains(.promoting) ? .promoting
                : phases.allSatisfy({ $0 == .pending }) && execution.stage == 0 ? .pending : .progressing
        }
    }
}
