import KubeAPI

/// The status the deployment controller writes, with its conditions' reasons and messages
/// (k/k `pkg/controller/deployment/util/deployment_util.go`). Zero counters are left out, as the
/// API's `omitempty` does.
extension DeploymentController {
    static func status(of deployment: JSONValue, outcome: Mode, now: String) -> JSONValue {
        let replicas = Int64(deployment[path: ["spec", "replicas"]]?.int ?? 1)
        let replicaSet = "\(deployment.name ?? "")-\(templateHash(deployment[path: ["spec", "template"]] ?? .null))"
        let isReady = outcome == .rollsOut
        var status: [String: JSONValue] = ["observedGeneration": .integer(Int64(deployment.generation ?? 1))]
        for (field, value) in [("replicas", replicas), ("updatedReplicas", replicas), ("readyReplicas", isReady ? replicas : 0),
                               ("availableReplicas", isReady ? replicas : 0), ("unavailableReplicas", isReady ? 0 : replicas)] where value > 0 {
            status[field] = .integer(value)
        }
        let available: (String, String, String) = isReady || replicas == 0
            ? ("True", "MinimumReplicasAvailable", "Deployment has minimum availability.")
            : ("False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.")
        let progressing: (String, String, String) = switch outcome {
        case .getsStuck: ("False", "ProgressDeadlineExceeded", "ReplicaSet \"\(replicaSet)\" has timed out progressing.")
        case .rollsOut, .manual: ("True", "NewReplicaSetAvailable", "ReplicaSet \"\(replicaSet)\" has successfully progressed.")
        case .progresses: ("True", "ReplicaSetUpdated", "ReplicaSet \"\(replicaSet)\" is progressing.")
        }
        let previous = deployment[path: ["status", "conditions"]]?.array ?? []
        status["conditions"] = .array([
            condition("Available", available, previous: previous, now: now),
            condition("Progressing", progressing, previous: previous, now: now),
        ])
        return .object(status)
    }

    /// A condition; `lastTransitionTime` stays as it was while the condition's status does not change.
    private static func condition(_ type: String, _ value: (status: String, reason: String, message: String), previous: [JSONValue],
                                  now: String) -> JSONValue {
        let earlier = previous.first { $0["type"]?.string == type }
        let transition = earlier?["status"]?.string == value.status ? earlier?["lastTransitionTime"] ?? .string(now) : .string(now)
        return ["type": .string(type), "status": .string(value.status), "reason": .string(value.reason), "message": .string(value.message),
                "lastUpdateTime": .string(now), "lastTransitionTime": transition]
    }

    /// A pod-template-hash-like suffix: ten characters from the alphabet Kubernetes uses for names.
    private static func templateHash(_ template: JSONValue) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in template.jsonBytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String((0..<10).map { index in alphabet[Int((hash >> (index * 6)) % UInt64(alphabet.count))] })
    }
}
