import KubeAPI

/// Container restarts counted from pod objects.
enum PodRestarts {
    /// The sum of `status.containerStatuses[].restartCount` over `pods`.
    static func total(_ pods: [JSONValue]) -> Int {
        pods.reduce(0) { sum, pod in
            sum + (pod[path: ["status", "containerStatuses"]]?.array ?? []).reduce(0) { $0 + ($1["restartCount"]?.int ?? 0) }
        }
    }

    /// The restarts of the pods whose labels match `selector` (a Deployment's `matchLabels`).
    static func total(_ pods: [JSONValue], selector: [String: String]) -> Int {
        total(pods.filter { PodLabels.matches(selector, $0.labels) })
    }
}
