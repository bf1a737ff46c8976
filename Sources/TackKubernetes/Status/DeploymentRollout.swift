import KubeAPI

/// A Deployment's rollout progress, computed exactly as `kubectl rollout status` computes it
/// (kubectl's `DeploymentStatusViewer.Status`): only `generation`, `observedGeneration`,
/// `spec.replicas`, the status's `replicas`, `updatedReplicas` and `availableReplicas`, and the
/// `Progressing` condition's reason are read; `readyReplicas` is kept for display only.
struct DeploymentRollout: Sendable, Hashable {
    /// Where the rollout stands.
    enum Phase: Sendable, Hashable {
        /// `deployment "X" successfully rolled out`.
        case done
        /// Still rolling out, with kubectl's waiting message.
        case waiting(String)
        /// Stopped: the progress deadline passed (kubectl exits with an error).
        case failed(String)
    }

    /// `metadata.name`.
    var name: String
    /// `metadata.generation` (0 when absent).
    var generation: Int
    /// `status.observedGeneration` (0 when absent).
    var observedGeneration: Int
    /// `spec.replicas`, nil when absent (the API server defaults it to 1).
    var specReplicas: Int?
    /// `status.replicas`: pods of every ReplicaSet of the Deployment.
    var replicas: Int
    /// `status.updatedReplicas`: pods of the current pod template.
    var updatedReplicas: Int
    /// `status.readyReplicas`.
    var readyReplicas: Int
    /// `status.availableReplicas`.
    var availableReplicas: Int
    /// The reason of the `Progressing` condition, when there is one.
    var progressingReason: String?

    /// The counters of a Deployment object; absent numbers read as 0, as in Go's zero values.
    init(deployment: JSONValue) {
        let status = deployment["status"]
        name = deployment.name ?? ""
        generation = deployment.generation ?? 0
        observedGeneration = status?["observedGeneration"]?.int ?? 0
        specReplicas = deployment[path: ["spec", "replicas"]]?.int
        replicas = status?["replicas"]?.int ?? 0
        updatedReplicas = status?["updatedReplicas"]?.int ?? 0
        readyReplicas = status?["readyReplicas"]?.int ?? 0
        availableReplicas = status?["availableReplicas"]?.int ?? 0
        progressingReason = status?["conditions"]?.array?
            .first { $0["type"]?.string == "Progressing" }?["reason"]?.string
    }

    /// Replicas asked for: `spec.replicas`, or 1 when absent.
    var desired: Int { specReplicas ?? 1 }

    /// Whether the controller has seen the current spec (`generation <= observedGeneration`).
    var isObserved: Bool { generation <= observedGeneration }

    /// kubectl's verdict, branch for branch.
    var phase: Phase {
        guard isObserved else { return .waiting("Waiting for deployment spec update to be observed...") }
        if progressingReason == "ProgressDeadlineExceeded" {
            return .failed("deployment \"\(name)\" exceeded its progress deadline")
        }
        let waiting = "Waiting for deployment \"\(name)\" rollout to finish: "
        if let specReplicas, updatedReplicas < specReplicas {
            return .waiting(waiting + "\(updatedReplicas) out of \(specReplicas) new replicas have been updated...")
        }
        if replicas > updatedReplicas {
            return .waiting(waiting + "\(replicas - updatedReplicas) old replicas are pending termination...")
        }
        if availableReplicas < updatedReplicas {
            return .waiting(waiting + "\(availableReplicas) of \(updatedReplicas) updated replicas are available...")
        }
        return .done
    }

    /// Whether kubectl would say `successfully rolled out`.
    var isDone: Bool { phase == .done }

    /// kubectl's message when the rollout is not done (waiting or failed), else nil.
    var message: String? {
        switch phase {
        case .done: nil
        case .waiting(let message), .failed(let message): message
        }
    }
}
