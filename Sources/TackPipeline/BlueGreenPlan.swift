import TackCore
/// The steps of a blue-green rollout in one account.
struct BlueGreenPlan {
    let cluster: ClusterDeployment
    let routing: TrafficRouting
    let app: String

    /// The steps; `preAnalysis` describes the pre-promotion analysis when the account is watched.
    func steps(_ options: BlueGreenOptions, preAnalysis: String?) -> [PlanStep] {
        let size = cluster.targetSize
        let preview = options.previewReplicas ?? size
        let start = routing == .nginx
            ? "start the idle color with \(cluster.image), \(preview) \(replicas(preview)); the preview route \(app)-preview points at it"
            : "apply the idle color's Deployment (\(app)-blue or \(app)-green) with \(cluster.image), \(preview) \(replicas(preview)); Service \(app)-preview selects it"
        var steps = [
            PlanStep(number: 0, action: "create", description: start, weight: 0, newReplicas: preview, oldReplicas: size),
            PlanStep(number: 0, action: "waitReady", description: "wait until \(preview) preview \(replicas(preview)) \(preview == 1 ? "is" : "are") ready"),
        ]
        if let preAnalysis {
            steps.append(PlanStep(number: 0, action: "analysis", description: "pre-promotion analysis on the preview: \(preAnalysis)"))
        }
        if !options.autoPromote {
            steps.append(PlanStep(number: 0, action: "pause", description: "wait for tack promote \(app) (autoPromote: false)"))
        }
        if preview < size {
            steps.append(PlanStep(number: 0, action: "waitReady", description: "scale the new color to \(size) replicas and wait until they are ready",
                                  newReplicas: size, oldReplicas: size))
        }
        steps.append(PlanStep(number: 0, action: "switch", description: "switch the active route \(app) to the new color",
                              weight: 100, newReplicas: size, oldReplicas: size))
        let delay = DurationText.format(options.scaleDownDelay)
        let scaleDown = options.scaleDownDelay == .zero
            ? "scale the old color to 0 at once (scaleDownDelay: 0s)"
            : "keep the old color for \(delay), so a rollback is one switch back; then scale it to 0"
        steps.append(PlanStep(number: 0, action: "scaleDown", description: scaleDown, weight: 100, newReplicas: size, oldReplicas: 0,
                              duration: options.scaleDownDelay == .zero ? nil : delay))
        return steps
    }
}
