import Foundation
import Testing

@Suite("Manifests: pods run unprivileged, with limits, from pinned images")
struct ManifestPodTests {
    static let deployments = ManifestCatalog.shared.objects("Deployment")

    @Test("the manifests hold the controller's and the example's Deployments")
    func found() {
        #expect(Self.deployments.map(\.name).sorted() == ["lora-train", "lora-train-canary", "tack-controller"])
    }

    @Test("a pod runs as non-root uid 65532 with the RuntimeDefault seccomp profile and no service links", arguments: deployments)
    func podSecurity(_ deployment: ManifestObject) throws {
        let pod = try #require(deployment.podSpec)
        for container in deployment.containers {
            let setting = { (key: String) in container["securityContext", key] ?? pod["securityContext", key] }
            #expect(setting("runAsNonRoot")?.bool == true, "\(container.place): runAsNonRoot")
            #expect(setting("runAsUser")?.int == 65532, "\(container.place): runAsUser")
            #expect(setting("seccompProfile")?["type"]?.string == "RuntimeDefault", "\(container.place): seccompProfile")
        }
        for key in ["hostNetwork", "hostPID", "hostIPC"] {
            #expect(pod[key]?.bool != true, "\(pod.place): \(key)")
        }
        #expect(pod["enableServiceLinks"]?.bool == false, "\(pod.place): enableServiceLinks")
    }

    @Test("every container drops all capabilities, cannot escalate and has a read-only root", arguments: deployments)
    func containerSecurity(_ deployment: ManifestObject) throws {
        #expect(!deployment.containers.isEmpty)
        for container in deployment.containers {
            let context = try #require(container["securityContext"], "\(container.place) has no securityContext")
            #expect(context["allowPrivilegeEscalation"]?.bool == false, "\(context.place)")
            #expect(context["readOnlyRootFilesystem"]?.bool == true, "\(context.place)")
            #expect(context["privileged"]?.bool != true, "\(context.place)")
            #expect(context["capabilities", "drop"]?.strings == ["ALL"], "\(context.place)")
            #expect(context["capabilities", "add"]?.strings ?? [] == [], "\(context.place)")
        }
    }

    @Test("every container requests and limits CPU and memory, each request at most its limit", arguments: deployments)
    func resources(_ deployment: ManifestObject) throws {
        for container in deployment.containers {
            let resources = try #require(container["resources"], "\(container.place) has no resources")
            let request = try #require(resources["requests", "memory"]?.string.flatMap(Self.bytes), "\(resources.place)")
            let limit = try #require(resources["limits", "memory"]?.string.flatMap(Self.bytes), "\(resources.place)")
            #expect(request <= limit, "\(resources.place): the memory request exceeds the limit")
            let cpuRequest = try #require(resources["requests", "cpu"]?.string.flatMap(Self.millicores), "\(resources.place): requests.cpu")
            let cpuLimit = try #require(resources["limits", "cpu"]?.string.flatMap(Self.millicores), "\(resources.place): limits.cpu")
            #expect(cpuRequest <= cpuLimit, "\(resources.place): the CPU request exceeds the limit")
        }
    }

    @Test("every image is pinned by a sha256 digest", arguments: deployments)
    func digests(_ deployment: ManifestObject) {
        for container in deployment.containers {
            let image = container["image"]?.string ?? ""
            #expect(Self.isPinned(image), "\(container.place): \(image) is not pinned by @sha256:<64 hex digits>")
        }
    }

    @Test("every container is probed for readiness and liveness over HTTP on a named port", arguments: deployments)
    func probes(_ deployment: ManifestObject) {
        for container in deployment.containers {
            let ports = container["ports"]?.items.compactMap { $0["name"]?.string } ?? []
            for probe in ["readinessProbe", "livenessProbe"] {
                let get = container[probe, "httpGet"]
                #expect(get?["path"]?.string?.hasPrefix("/") == true, "\(container.place): \(probe) needs httpGet.path")
                #expect(get?["port"]?.string.map(ports.contains) == true, "\(container.place): \(probe) needs a named port")
            }
        }
    }

    @Test("only emptyDir and claimed volumes are writable, each emptyDir limited in size; configs and secrets are mounted read-only",
          arguments: deployments)
    func volumes(_ deployment: ManifestObject) throws {
        let pod = try #require(deployment.podSpec)
        let volumes = Dictionary(uniqueKeysWithValues: (pod["volumes"]?.items ?? []).compactMap { v in v["name"]?.string.map { ($0, v) } })
        for volume in volumes.values {
            guard let emptyDir = volume["emptyDir"] else { continue }
            let limit = emptyDir["sizeLimit"]?.string.flatMap(Self.bytes)
            #expect(limit.map { $0 > 0 } == true, "\(emptyDir.place): emptyDir needs a sizeLimit")
        }
        for container in deployment.containers {
            for mount in container["volumeMounts"]?.items ?? [] {
                let name = mount["name"]?.string ?? ""
                let volume = try #require(volumes[name], "\(mount.place): no volume \(name.debugDescription)")
                let isScratch = volume["emptyDir"] != nil || volume["persistentVolumeClaim"] != nil
                #expect(isScratch || mount["readOnly"]?.bool == true, "\(mount.place): mount \(name) read-only")
                #expect(volume["hostPath"] == nil, "\(volume.place): no hostPath")
            }
        }
    }

    @Test("a service account token is mounted only into pods whose account holds a Role", arguments: deployments)
    func tokens(_ deployment: ManifestObject) throws {
        let pod = try #require(deployment.podSpec)
        let account = pod["serviceAccountName"]?.string ?? "default"
        let namespace = deployment.namespace ?? ""
        let isBound = ManifestCatalog.shared.objects("RoleBinding").contains { binding in
            binding["subjects"]?.items.contains {
                $0["kind"]?.string == "ServiceAccount" && $0["name"]?.string == account && $0["namespace"]?.string == namespace
            } == true
        }
        let automount = try #require(pod["automountServiceAccountToken"]?.bool as Bool?, "\(pod.place): set automountServiceAccountToken")
        #expect(automount == isBound, "\(pod.place): automountServiceAccountToken should be \(isBound)")
    }

    @Test("service accounts do not mount their token unless a pod asks")
    func serviceAccounts() {
        let accounts = ManifestCatalog.shared.objects("ServiceAccount")
        #expect(accounts.map(\.name) == ["tack-controller"])
        for account in accounts {
            #expect(account["automountServiceAccountToken"]?.bool == false, "\(account.testDescription)")
        }
    }

    @Test("memory quantities and digests are read as Kubernetes reads them")
    func helpers() {
        #expect(Self.bytes("512Mi") == 512 << 20)
        #expect(Self.bytes("2Gi") == 2 << 30)
        #expect(Self.bytes("1G") == 1_000_000_000)
        #expect(Self.bytes("64") == 64)
        #expect(Self.bytes("1.5Gi") == nil)
        #expect(Self.millicores("500m") == 500 && Self.millicores("2") == 2000 && Self.millicores("0.5") == nil)
        #expect(Self.isPinned("ghcr.io/a/b:v1@sha256:" + String(repeating: "0f", count: 32)))
        #expect(!Self.isPinned("ghcr.io/a/b:v1"))
        #expect(!Self.isPinned("ghcr.io/a/b@sha256:" + String(repeating: "0F", count: 32)))
        #expect(!Self.isPinned("ghcr.io/a/b@sha256:" + String(repeating: "0", count: 63)))
    }

    /// A whole-number memory quantity in bytes (`128Mi`, `1G`, `1024`); nil for anything else.
    static func bytes(_ quantity: String) -> Int? {
        let units: [(String, Int)] = [("Ki", 1 << 10), ("Mi", 1 << 20), ("Gi", 1 << 30), ("Ti", 1 << 40),
                                      ("k", 1000), ("M", 1_000_000), ("G", 1_000_000_000), ("T", 1_000_000_000_000)]
        for (suffix, factor) in units where quantity.hasSuffix(suffix) {
            return Int(quantity.dropLast(suffix.count)).map { $0 * factor }
        }
        return Int(quantity)
    }

    /// A CPU quantity in thousandths of a core (`500m`, `2`); nil for anything else.
    static func millicores(_ quantity: String) -> Int? {
        quantity.hasSuffix("m") ? Int(quantity.dropLast()) : Int(quantity).map { $0 * 1000 }
    }

    /// Whether an image reference ends in `@sha256:` and 64 lowercase hex digits.
    static func isPinned(_ image: String) -> Bool {
        guard let at = image.range(of: "@sha256:") else { return false }
        let digest = image[at.upperBound...]
        return digest.count == 64 && digest.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
    }
}
