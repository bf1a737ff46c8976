import KubeAPI
import TackCore

/// Renders the Deployment that runs a track as a server-side-apply body: only the fields Tack
/// owns, never status, managedFields or resourceVersion.
struct DeploymentRenderer: Sendable {
    /// The account's options.
    var options: KubernetesWorkloadOptions

    /// The Deployment running `spec`. `color` places a blue-green track (`active`/`preview`; blue
    /// when nil) and is ignored for `stable`/`canary`. `podTrack` is the `track` label the color's
    /// pods already carry: pass it when re-applying a promoted color with an unchanged image, so
    /// its pods are not restarted; nil labels them with `spec.track`.
    func deployment(_ spec: TrackSpec, color: BlueGreenColor? = nil, podTrack: Track? = nil) -> JSONValue {
        let strategy = RolloutStrategy(spec.track)
        let color = strategy == .blueGreen ? color ?? .blue : nil
        var annotations = [ObjectLabels.imageAnnotation: spec.image.description]
        if strategy == .blueGreen { annotations[ObjectLabels.trackAnnotation] = spec.track.rawValue }
        let rollingUpdate: JSONValue = ["maxSurge": "25%", "maxUnavailable": 0]
        return [
            "apiVersion": .string(KubeResource.deployments.apiVersion),
            "kind": .string(KubeResource.deployments.kind),
            "metadata": .metadata(
                name: ObjectNames(app: spec.app).deployment(spec.track, color: color), namespace: options.namespace,
                labels: ObjectLabels.common(app: spec.app), annotations: annotations),
            "spec": [
                "replicas": .count(max(spec.replicas, 0)),
                "selector": ["matchLabels": .strings(PodLabels.selector(app: spec.app, track: spec.track, color: color))],
                "strategy": ["type": "RollingUpdate", "rollingUpdate": rollingUpdate],
                "progressDeadlineSeconds": .count(options.progressDeadlineSeconds),
                "revisionHistoryLimit": .count(options.revisionHistoryLimit),
                "template": podTemplate(spec, color: color, podTrack: podTrack),
            ],
        ]
    }

    /// A JSON merge patch that only sets a blue-green Deployment's role annotation (promotion).
    func rolePatch(_ track: Track) -> JSONValue {
        ["metadata": ["annotations": [ObjectLabels.trackAnnotation: .string(track.rawValue)]]]
    }

    /// The pod template: labels, Prometheus annotations, and a hardened pod with one container. The
    /// pod gets no service links: Kubernetes would otherwise put `<SERVICE>_PORT`,
    /// `<SERVICE>_SERVICE_HOST` and the like into the environment for every Service in the namespace
    /// (`LORA_TRAIN_PORT` for a Service `lora-train`), among the app's own `PORT` and `LORA_*`.
    private func podTemplate(_ spec: TrackSpec, color: BlueGreenColor?, podTrack: Track?) -> JSONValue {
        let labels = PodLabels.template(app: spec.app, track: spec.track, color: color, podTrack: podTrack, image: spec.image)
        let annotations = [
            "prometheus.io/scrape": "true", "prometheus.io/port": "\(options.containerPort)",
            "prometheus.io/path": "/metrics",
        ]
        let securityContext: JSONValue = [
            "runAsNonRoot": true,
            "runAsUser": .count(options.userID),
            "runAsGroup": .count(options.userID),
            "fsGroup": .count(options.userID),
            "seccompProfile": ["type": "RuntimeDefault"],
        ]
        let volumes = WritableVolume.volumes(options.writablePaths(app: spec.app))
        let emptyDir: JSONValue = ["sizeLimit": .string(ResourceQuantity.memory(bytes: options.writableVolumeSizeLimitBytes))]
        return [
            "metadata": ["labels": .strings(labels), "annotations": .strings(annotations)],
            "spec": [
                "automountServiceAccountToken": false,
                "enableServiceLinks": false,
                "securityContext": securityContext,
                "containers": [container(spec, volumes: volumes)],
                "volumes": .array(volumes.map { ["name": .string($0.name), "emptyDir": emptyDir] }),
            ],
        ]
    }
}
