import TackCore
/// The steps of a canary rollout in one account.
struct CanaryPlan {
    let cluster: ClusterDeployment
    let routing: TrafficRouting
    let app: String
    /// Describes an analysis step in words.
    let analysis: (AnalysisStep?) -> String

    func steps(_ options: CanaryOptions) -> [PlanStep] {
        let size = cluster.targetSize
        let start = routing == .nginx
            ? "start track canary with \(cluster.image), 0 replicas, no traffic"
            : "apply Deployment \(app)-canary with \(cluster.image) (0 replicas) and the Services \(app)-stable, \(app)-canary and \(app)"
        var steps = [PlanStep(number: 0, action: "create", description: start, weight: 0, newReplicas: 0, oldReplicas: size)]
        for step in options.steps {
            switch step {
            case .setWeight(let weight):
                steps.append(setWeight(weight))
            case .pause(let duration?):
                let text = DurationText.format(duration)
                steps.append(PlanStep(number: 0, action: "pause", description: "pause \(text) while the monitor measures", duration: text))
            case .pause(nil):
                steps.append(PlanStep(number: 0, action: "pause", description: "pause until tack promote \(app)"))
            case .analysis(let gate):
                steps.append(PlanStep(number: 0, action: "analysis", description: "analysis: \(analysis(gate))"))
            }
        }
        let promote = routing == .replicas
            ? "promote: Deployment \(app) to \(cluster.image) with \(size) \(replicas(size)), then Deployment \(app)-canary deleted"
            : "promote: stable to \(cluster.image) with \(size) \(replicas(size)), 100% of traffic to stable, then the canary removed"
        steps.append(PlanStep(number: 0, action: "promote", description: promote, weight: 100, newReplicas: size, oldReplicas: 0))
        return steps
    }

    /// Weighted routing sends exactly `weight`; replica routing gets the nearest share the replica counts allow.
    private func setWeight(_ weight: Int) -> PlanStep {
        let size = cluster.targetSize
        let canary = cluster.canaryReplicas(weight: weight)
        guard routing == .replicas else {
            let via = routing == .nginx ? "nginx" : "the HTTPRoute"
            return PlanStep(number: 0, action: "setWeight",
                            description: "setWeight \(weight)%: canary \(canary) \(replicas(canary)), stable \(size); \(via) sends \(weight)% to the canary",
                            weight: weight, newReplicas: canary, oldReplicas: size)
        }
        let share = Int((Double(canary * 100) / Double(size)).rounded())
        let asked = share == weight ? "" : " (asked \(weight)%)"
        return PlanStep(number: 0, action: "setWeight",
                        description: "setWeight \(weight)%: canary \(canary) \(replicas(canary)), stable \(size - canary); about \(share)% of traffic by replica ratio\(asked)",
                        weight: share, newReplicas: canary, oldReplicas: size - canary)
    }
}

/// "replica" or "replicas".
func replicas(_ count: Int) -> String {
    count == 1 ? "replica" : "replicas"
}

extension ClusterDeployment {
    /// The canary's replicas at `weight` percent: `ceil(targetSize × weight / 100)`, at least one
    /// while the weight is above 0, at most `targetSize`. The plan and the engine both use it.
    public func canaryReplicas(weight: Int) -> Int {
        weight <= 0 ? 0 : min(targetSize, max(1, (targetSize * weight + 99) / 100))
    }
}
