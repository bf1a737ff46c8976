import TackCore
import TackPipeline

/// One step of the rollout in one account. Each step is a target state that the deciders drive
/// the account toward with idempotent actions; it is complete when the observed state matches.
public enum RolloutStep: Sendable, Hashable {
    /// No version runs yet: the new version becomes the serving track at once.
    case deployInitial(Track)
    /// Start the canary track with the new image, no replicas and no traffic.
    case startCanary
    /// Scale the canary to its share of `targetSize` and send it this percentage of traffic; where
    /// traffic follows the replica ratio, stable gets the rest of `targetSize` and no traffic is set.
    case setWeight(Int)
    /// Wait this long, or for `promote` when nil.
    case pause(Duration?)
    /// Measure and go on only when the analysis passes.
    case analysis(AnalysisStep)
    /// The stable track to the new image, all traffic to it, then the canary removed.
    case promoteCanary
    /// Start the preview track with this many replicas and wait until they are ready.
    case startPreview(Int)
    /// Wait for `promote` (blue-green with `autoPromote: false`).
    case awaitPromotion
    /// Scale the preview to this many replicas and wait until they are ready.
    case scalePreview(Int)
    /// Send all traffic to the preview.
    case switchTraffic
    /// Keep the old color this long, so a rollback is one switch back.
    case scaleDownDelay(Duration)
    /// The preview becomes the active track and the old color is removed.
    case finishBlueGreen
    /// The account already runs the new version on `serving`: all traffic to it, `candidate` removed.
    case cleanUp(serving: Track, candidate: Track)

    /// The account's phase while this step runs.
    public var phase: AccountPhase {
        switch self {
        case .deployInitial, .startCanary, .startPreview: .deploying
        case .setWeight, .pause, .analysis, .awaitPromotion, .scalePreview: .progressing
        case .promoteCanary, .switchTraffic, .scaleDownDelay, .finishBlueGreen, .cleanUp: .promoting
        }
    }

    /// The step in a few words, for events and `tack watch`.
    public var summary: String {
        switch self {
        case .deployInitial(let track): "deploy the first version as \(track.rawValue)"
        case .startCanary: "start the canary"
        case .setWeight(let weight): "setWeight \(weight)%"
        case .pause(let duration?): "pause \(DurationText.format(duration))"
        case .pause(nil): "pause until promote"
        case .analysis(let step): "analysis (\(step.count) rounds)"
        case .promoteCanary: "promote the canary"
        case .startPreview(let replicas): "start the preview (\(replicas) \(replicas == 1 ? "replica" : "replicas"))"
        case .awaitPromotion: "wait for promote"
        case .scalePreview(let replicas): "scale the preview to \(replicas) replicas"
        case .switchTraffic: "switch traffic to the new color"
        case .scaleDownDelay(let delay): "keep the old color for \(DurationText.format(delay))"
        case .finishBlueGreen: "make the new color active and remove the old one"
        case .cleanUp(let serving, let candidate): "already current: all traffic to \(serving.rawValue), \(candidate.rawValue) removed"
        }
    }
}

extension RevisionPlan {
    /// The steps of `rollout` in its account, by its mode and the pipeline's strategy.
    public func steps(of rollout: AccountRollout) -> [RolloutStep] {
        guard let cluster = cluster(of: rollout) else { return [] }
        switch (rollout.mode, cluster.strategy) {
        case (.undecided, _): return []
        case (.initial, .canary): return [.deployInitial(.stable)]
        case (.initial, .blueGreen): return [.deployInitial(.active)]
        case (.current, .canary): return [.cleanUp(serving: .stable, candidate: .canary)]
        case (.current, .blueGreen): return [.cleanUp(serving: .active, candidate: .preview)]
        case (.progressive, .canary(let options)):
            return [.startCanary] + options.steps.map { step -> RolloutStep in
                switch step {
                case .setWeight(let weight): .setWeight(weight)
                case .pause(let duration): .pause(duration)
                case .analysis(let analysis): .analysis(analysis)
                }
            } + [.promoteCanary]
        case (.progressive, .blueGreen(let options)):
            let size = cluster.targetSize
            let preview = min(options.previewReplicas ?? size, size)
            var steps: [RolloutStep] = [.startPreview(preview)]
            if isWatched(rollout.account) && !conditions.isEmpty { steps.append(.analysis(AnalysisStep())) }
            if !options.autoPromote { steps.append(.awaitPromotion) }
            if preview < size { steps.append(.scalePreview(size)) }
            return steps + [.switchTraffic, .scaleDownDelay(options.scaleDownDelay), .finishBlueGreen]
        }
    }
}
