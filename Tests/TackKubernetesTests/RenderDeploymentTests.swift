import KubeAPI
import TackCore
import Testing

@testable import TackKubernetes

@Suite("Deployment rendering")
struct RenderDeploymentTests {
    static let pinned = "registry.example.com/team/web:v2@sha256:" + String(repeating: "ab", count: 32)
    static let options = KubernetesWorkloadOptions(namespace: "prod")
    static let renderer = DeploymentRenderer(options: options)

    static func spec(
        _ track: Track, image: String = pinned, replicas: Int = 2, environment: [String: String] = [:],
        resources: ResourceLimits = .default
    ) throws -> TrackSpec {
        TrackSpec(app: "web", track: track, image: try ImageRef(parsing: image), replicas: replicas, environment: environment, resources: resources)
    }

    private func container(_ deployment: JSONValue) throws -> JSONValue {
        try #require(deployment[path: ["spec", "template", "spec", "containers"]]?.array?.first)
    }

    @Test("a canary Deployment renders as the golden server-side-apply body")
    func canaryGolden() throws {
        let spec = try Self.spec(
            .canary, environment: ["LOG_LEVEL": "debug", "A_FIRST": "1"],
            resources: ResourceLimits(memoryBytes: 512 << 20, cpuMillicores: 500, pids: 512))
        #expect(try ObjectFixtures.matchesGolden(Self.renderer.deployment(spec), "rendered-deployment-canary.json"))
    }

    @Test("a blue-green preview Deployment renders as the golden server-side-apply body")
    func blueGreenGolden() throws {
        let deployment = Self.renderer.deployment(try Self.spec(.preview, replicas: 3), color: .green)
        #expect(try ObjectFixtures.matchesGolden(deployment, "rendered-deployment-green-preview.json"))
    }

    @Test("only fields Tack owns are sent: no status, managedFields, resourceVersion or uid")
    func onlyOwnedFields() throws {
        let deployment = Self.renderer.deployment(try Self.spec(.stable))
        #expect(deployment["status"] == .none)
        #expect(Set(try #require(deployment["metadata"]?.object).keys) == ["name", "namespace", "labels", "annotations"])
        #expect(deployment["apiVersion"] == "apps/v1" && deployment["kind"] == "Deployment")
    }

    @Test("names and selectors follow the track: <app> and <app>-canary by track, blue-green by color")
    func namesAndSelectors() throws {
        let stable = Self.renderer.deployment(try Self.spec(.stable))
        #expect(stable.name == "web" && stable.namespace == "prod")
        #expect(stable[path: ["spec", "selector", "matchLabels"]] == ["app": "web", "track": "stable"])
        let canary = Self.renderer.deployment(try Self.spec(.canary))
        #expect(canary.name == "web-canary")
        #expect(canary[path: ["spec", "selector", "matchLabels"]] == ["app": "web", "track": "canary"])
        let active = Self.renderer.deployment(try Self.spec(.active), color: .blue)
        #expect(active.name == "web-blue")
        #expect(active[path: ["spec", "selector", "matchLabels"]] == ["app": "web", "tack.dev/color": "blue"])
        #expect(Self.renderer.deployment(try Self.spec(.preview)).name == "web-blue")
    }

    @Test("every Deployment carries Tack's labels and its pinned image annotation")
    func labelsAndAnnotations() throws {
        let image = "registry.example.com/team/web:v2@sha256:" + String(repeating: "ab", count: 32)
        let stable = Self.renderer.deployment(try Self.spec(.stable))
        #expect(stable.labels == ["app.kubernetes.io/name": "web", "app.kubernetes.io/managed-by": "tack", "app": "web"])
        #expect(stable.annotations == ["tack.dev/image": image])
        let preview = Self.renderer.deployment(try Self.spec(.preview), color: .green)
        #expect(preview.annotations == ["tack.dev/image": image, "tack.dev/track": "preview"])
    }

    @Test("pods are labelled with app, track and version, blue-green ones with their color, and scraped by Prometheus")
    func podTemplateMetadata() throws {
        let template = try #require(Self.renderer.deployment(try Self.spec(.preview), color: .green)[path: ["spec", "template"]])
        #expect(template.labels == [
            "app.kubernetes.io/name": "web", "app.kubernetes.io/managed-by": "tack", "app": "web", "track": "preview",
            "version": "v2", "tack.dev/color": "green",
        ])
        #expect(template.annotations == ["prometheus.io/scrape": "true", "prometheus.io/port": "8080", "prometheus.io/path": "/metrics"])
        let digestOnly = try Self.spec(.canary, image: "web@sha256:" + String(repeating: "0f", count: 32))
        let canary = Self.renderer.deployment(digestOnly)
        #expect(canary[path: ["spec", "template"]]?.labels["version"] == "sha256-0f0f0f0f0f0f")
        #expect(canary[path: ["spec", "template"]]?.labels["tack.dev/color"] == nil)
    }

    @Test("a 128-character tag renders valid label values: at most 63 characters, starting and ending with a letter or digit")
    func longTagLabels() throws {
        let tag = "release-2024.06.01-" + String(repeating: "a", count: 108) + "_"
        let image = "web:\(tag)@sha256:" + String(repeating: "ab", count: 32)
        let deployment = Self.renderer.deployment(try Self.spec(.canary, image: image))
        let labels = try #require(deployment[path: ["spec", "template"]]?.labels)
        #expect(labels["version"] == "release-2024.06.01-" + String(repeating: "a", count: 35) + "-" + String(SHA256.hex(SHA256.hash(tag.utf8)).prefix(8)))
        let maps = [deployment.labels, labels, deployment[path: ["spec", "selector", "matchLabels"]]?.object?.compactMapValues(\.string) ?? [:]]
        let rule = try Regex("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?")
        for value in maps.flatMap(\.values) {
            #expect(value.count <= 63 && value.wholeMatch(of: rule) != nil, "\(value)")
        }
        #expect(deployment.annotations["tack.dev/image"] == image)
    }

    @Test("promoting a color changes its role annotation but not its pod template, so no pod restarts")
    func promotionKeepsTemplate() throws {
        let preview = Self.renderer.deployment(try Self.spec(.preview), color: .green)
        let promoted = Self.renderer.deployment(try Self.spec(.active), color: .green, podTrack: .preview)
        #expect(promoted[path: ["spec", "template"]] == preview[path: ["spec", "template"]])
        #expect(promoted.annotations["tack.dev/track"] == "active")
        #expect(promoted.name == preview.name)
        #expect(Self.renderer.rolePatch(.active) == ["metadata": ["annotations": ["tack.dev/track": "active"]]])
    }

    @Test("the rollout strategy surges by 25% and never removes an available replica")
    func rolloutStrategy() throws {
        let spec = try #require(Self.renderer.deployment(try Self.spec(.stable, replicas: 4))["spec"])
        #expect(spec["replicas"] == 4)
        #expect(spec["strategy"] == ["type": "RollingUpdate", "rollingUpdate": ["maxSurge": "25%", "maxUnavailable": 0]])
        #expect(spec["progressDeadlineSeconds"] == 600 && spec["revisionHistoryLimit"] == 3)
    }

    @Test("pods run as a non-root user with no service account token, no service links and the runtime's seccomp profile")
    func podSecurity() throws {
        let pod = try #require(Self.renderer.deployment(try Self.spec(.stable))[path: ["spec", "template", "spec"]])
        #expect(pod["automountServiceAccountToken"] == false)
        #expect(pod["enableServiceLinks"] == false)
        #expect(pod["securityContext"] == [
            "runAsNonRoot": true, "runAsUser": 65532, "runAsGroup": 65532, "fsGroup": 65532,
            "seccompProfile": ["type": "RuntimeDefault"],
        ])
    }

    @Test("the container drops every capability, cannot escalate and has a read-only root with writable emptyDirs of 1Gi each")
    func containerSecurity() throws {
        let deployment = Self.renderer.deployment(try Self.spec(.stable))
        let container = try container(deployment)
        #expect(container["securityContext"] == [
            "allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true, "capabilities": ["drop": ["ALL"]],
        ])
        #expect(container["volumeMounts"] == [["name": "tmp", "mountPath": "/tmp"], ["name": "var-lib-web", "mountPath": "/var/lib/web"]])
        #expect(deployment[path: ["spec", "template", "spec", "volumes"]] == [
            ["name": "tmp", "emptyDir": ["sizeLimit": "1Gi"]], ["name": "var-lib-web", "emptyDir": ["sizeLimit": "1Gi"]],
        ])
        #expect(deployment[path: ["spec", "template", "spec", "enableServiceLinks"]] == false)
    }

    @Test("the account's writable volume size limit applies to every emptyDir, as a Kubernetes quantity")
    func writableVolumeSizeLimit() throws {
        let cases: [(bytes: Int, quantity: JSONValue)] = [(256 << 20, "256Mi"), (2 << 30, "2Gi"), (1_000_000_000, "1000000000")]
        for (bytes, quantity) in cases {
            let options = KubernetesWorkloadOptions(namespace: "prod", writablePaths: ["/tmp", "/cache"], writableVolumeSizeLimitBytes: bytes)
            let deployment = DeploymentRenderer(options: options).deployment(try Self.spec(.stable))
            #expect(deployment[path: ["spec", "template", "spec", "volumes"]] == [
                ["name": "tmp", "emptyDir": ["sizeLimit": quantity]], ["name": "cache", "emptyDir": ["sizeLimit": quantity]],
            ])
        }
        #expect(KubernetesWorkloadOptions(namespace: "prod").writableVolumeSizeLimitBytes == 1 << 30)
    }

    @Test("writable paths get distinct valid volume names")
    func volumeNames() {
        let volumes = WritableVolume.volumes(["/data", "/Data", "/", "/cache/Thumbnails_v2/"])
        #expect(volumes.map(\.name) == ["data", "data-1", "writable", "cache-thumbnails-v2"])
    }

    @Test("the container runs the pinned image, or the reference as given when it has no digest")
    func pinnedImage() throws {
        #expect(try container(Self.renderer.deployment(try Self.spec(.stable)))["image"] == .string(Self.pinned))
        #expect(try container(Self.renderer.deployment(try Self.spec(.stable, image: "web:v2")))["image"] == "web:v2")
        #expect(try container(Self.renderer.deployment(try Self.spec(.stable)))["name"] == "web")
    }

    @Test("PORT and HOST come first, then the track's variables sorted by name; a track cannot move PORT")
    func environmentOrder() throws {
        let spec = try Self.spec(.stable, environment: ["ZED": "z", "ALPHA": "a", "PORT": "1", "HOST": "127.0.0.1", "MID": "m"])
        #expect(try container(Self.renderer.deployment(spec))["env"] == [
            ["name": "PORT", "value": "8080"], ["name": "HOST", "value": "0.0.0.0"], ["name": "ALPHA", "value": "a"],
            ["name": "MID", "value": "m"], ["name": "ZED", "value": "z"],
        ])
    }

    @Test("probes GET the readiness and liveness paths on the named http port")
    func probes() throws {
        let options = KubernetesWorkloadOptions(namespace: "prod", containerPort: 9000, readinessPath: "/ready", livenessPath: "/live")
        let container = try container(DeploymentRenderer(options: options).deployment(try Self.spec(.stable)))
        #expect(container["ports"] == [["name": "http", "containerPort": 9000, "protocol": "TCP"]])
        #expect(container[path: ["readinessProbe", "httpGet"]] == ["path": "/ready", "port": "http"])
        #expect(container[path: ["livenessProbe", "httpGet"]] == ["path": "/live", "port": "http"])
        #expect(container[path: ["env"]]?.array?.first == ["name": "PORT", "value": "9000"])
    }

    static let resourceCases: [(ResourceLimits, JSONValue)] = [
        (.default, ["requests": ["cpu": "500m", "memory": "512Mi"], "limits": ["cpu": "2", "memory": "1Gi"]]),
        (ResourceLimits(memoryBytes: 3 << 29, cpuMillicores: 3000, pids: 64),
         ["requests": ["cpu": "500m", "memory": "512Mi"], "limits": ["cpu": "3", "memory": "1536Mi"]]),
        (ResourceLimits(memoryBytes: 128 << 20, cpuMillicores: 500, pids: 64),
         ["requests": ["cpu": "500m", "memory": "128Mi"], "limits": ["cpu": "500m", "memory": "128Mi"]]),
        (ResourceLimits(memoryBytes: 300_000_000, cpuMillicores: 50, pids: 64),
         ["requests": ["cpu": "50m", "memory": "300000000"], "limits": ["cpu": "50m", "memory": "300000000"]]),
    ]

    @Test("every container requests and limits CPU and memory: 500m and 512Mi up to limits of 2 cores and the track's memory, or the track's own CPU limit", arguments: resourceCases)
    func resources(_ limits: ResourceLimits, _ expected: JSONValue) throws {
        #expect(try container(Self.renderer.deployment(try Self.spec(.stable, resources: limits)))["resources"] == expected)
    }

    @Test("the account's CPU limit applies to tracks without one, and caps the CPU request")
    func accountCPULimit() throws {
        let renderer = DeploymentRenderer(options: KubernetesWorkloadOptions(namespace: "prod", cpuLimitMillicores: 250))
        let resources = try container(renderer.deployment(try Self.spec(.stable)))["resources"]
        #expect(resources == ["requests": ["cpu": "250m", "memory": "512Mi"], "limits": ["cpu": "250m", "memory": "1Gi"]])
    }
}
