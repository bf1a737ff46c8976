import KubeAPI
import TackCore

extension DeploymentRenderer {
    /// The application's container: pinned image, environment, probes, resources, a read-only root.
    func container(_ spec: TrackSpec, volumes: [WritableVolume]) -> JSONValue {
        let securityContext: JSONValue = [
            "allowPrivilegeEscalation": false,
            "readOnlyRootFilesystem": true,
            "capabilities": ["drop": ["ALL"]],
        ]
        return [
            "name": .string(spec.app),
            "image": .string(spec.image.description),
            "env": .array(environment(spec).map { ["name": .string($0.name), "value": .string($0.value)] }),
            "ports": [["name": "http", "containerPort": .count(options.containerPort), "protocol": "TCP"]],
            "readinessProbe": probe(path: options.readinessPath, periodSeconds: 5, initialDelaySeconds: 0),
            "livenessProbe": probe(path: options.livenessPath, periodSeconds: 10, initialDelaySeconds: 10),
            "resources": resources(spec.resources),
            "securityContext": securityContext,
            "volumeMounts": .array(volumes.map { ["name": .string($0.name), "mountPath": .string($0.path)] }),
        ]
    }

    /// `PORT` and `HOST` (Tack's: the probes and Service depend on them), then the track's
    /// variables sorted by name; a track variable named `PORT` or `HOST` is left out.
    func environment(_ spec: TrackSpec) -> [(name: String, value: String)] {
        let fixed = [("PORT", "\(options.containerPort)"), ("HOST", "0.0.0.0")]
        let track = spec.environment.filter { $0.key != "PORT" && $0.key != "HOST" }
            .sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return (fixed + track).map { (name: $0.0, value: $0.1) }
    }

    /// An HTTP GET probe on the `http` port.
    private func probe(path: String, periodSeconds: Int, initialDelaySeconds: Int) -> JSONValue {
        var probe: JSONValue = [
            "httpGet": ["path": .string(path), "port": "http"],
            "periodSeconds": .count(periodSeconds),
            "timeoutSeconds": 1,
            "failureThreshold": 3,
        ]
        if initialDelaySeconds > 0 { probe["initialDelaySeconds"] = .count(initialDelaySeconds) }
        return probe
    }

    /// Requests and limits of CPU and memory: the track's limits, with the account's CPU limit
    /// when the track sets none; a request never exceeds its limit, which Kubernetes would reject.
    func resources(_ limits: ResourceLimits) -> JSONValue {
        let cpuLimit = limits.cpuMillicores ?? options.cpuLimitMillicores
        return [
            "requests": [
                "cpu": .string(ResourceQuantity.cpu(millicores: min(options.cpuRequestMillicores, cpuLimit))),
                "memory": .string(ResourceQuantity.memory(bytes: options.memoryRequest(limitBytes: limits.memoryBytes))),
            ],
            "limits": [
                "cpu": .string(ResourceQuantity.cpu(millicores: cpuLimit)),
                "memory": .string(ResourceQuantity.memory(bytes: limits.memoryBytes)),
            ],
        ]
    }
}
