import Foundation
import TackYAML
import Testing

@Suite("Manifests: the objects refer to each other correctly")
struct ManifestWiringTests {
    let catalog = ManifestCatalog.shared

    @Test("each kustomization lists every other YAML file of its folder, once")
    func kustomizations() throws {
        let kustomizations = catalog.objects("Kustomization")
        #expect(kustomizations.map(\.file) == ["manifests/controller/kustomization.yaml"])
        for kustomization in kustomizations {
            let listed = kustomization["resources"]?.strings ?? []
            let files = catalog.files.filter { ($0 as NSString).deletingLastPathComponent == kustomization.folder && $0 != kustomization.file }
            #expect(listed.sorted() == files.map { ($0 as NSString).lastPathComponent }.sorted(), "\(kustomization.file)")
            #expect(Set(listed).count == listed.count, "\(kustomization.file) lists a file twice")
        }
    }

    @Test("each Deployment's selector matches its own pods and no other Deployment's")
    func deploymentSelectors() {
        let deployments = catalog.objects("Deployment")
        for deployment in deployments {
            let selector = deployment["spec", "selector", "matchLabels"]?.stringMap ?? [:]
            #expect(!selector.isEmpty, "\(deployment.testDescription)")
            for other in deployments where other.namespace == deployment.namespace {
                let matches = Self.selects(selector, other.podLabels)
                #expect(matches == (other.name == deployment.name), "\(deployment.testDescription) vs \(other.name)")
            }
        }
    }

    @Test("each Service selects the pods of a Deployment in its namespace, and targets a port they name")
    func serviceSelectors() {
        for service in catalog.objects("Service") {
            let selector = service["spec", "selector"]?.stringMap ?? [:]
            #expect(!selector.isEmpty, "\(service.testDescription) selects nothing")
            let selected = selectedDeployments(by: service)
            #expect(!selected.isEmpty, "\(service.testDescription) selects no Deployment's pods")
            for port in service["spec", "ports"]?.items ?? [] {
                let target = port["targetPort"]?.string ?? ""
                for deployment in selected {
                    let named = deployment.containers.flatMap { $0["ports"]?.items ?? [] }.compactMap { $0["name"]?.string }
                    #expect(named.contains(target), "\(port.place): \(deployment.name) has no port named \(target)")
                }
            }
        }
    }

    @Test("lora-train-stable and lora-train-canary select one track each, lora-train selects both")
    func trackServices() {
        let selected = { (name: String) in
            self.catalog.object("Service", name).map { self.selectedDeployments(by: $0).map(\.name).sorted() } ?? []
        }
        #expect(selected("lora-train-stable") == ["lora-train"])
        #expect(selected("lora-train-canary") == ["lora-train-canary"])
        #expect(selected("lora-train") == ["lora-train", "lora-train-canary"])
    }

    @Test("the HTTPRoute weights the two track Services behind the account's Gateway")
    func route() throws {
        let route = try #require(catalog.object("HTTPRoute", "lora-train", namespace: "lora"))
        let parents = route["spec", "parentRefs"]?.items ?? []
        #expect(parents.map { "\($0["namespace"]?.string ?? "")/\($0["name"]?.string ?? "")" } == ["gateway-system/public"])
        #expect(parents.allSatisfy { ($0["kind"]?.string ?? "Gateway") == "Gateway" }, "kind defaults to Gateway")
        let backends = (route["spec", "rules"]?.items ?? []).flatMap { $0["backendRefs"]?.items ?? [] }
        #expect(backends.map { $0["name"]?.string ?? "" } == ["lora-train-stable", "lora-train-canary"])
        for backend in backends {
            let service = try #require(catalog.object("Service", backend["name"]?.string ?? "", namespace: route.namespace))
            let ports = service["spec", "ports"]?.items.compactMap { $0["port"]?.int } ?? []
            #expect(backend["port"]?.int.map(ports.contains) == true, "\(backend.place)")
            #expect(backend["weight"]?.int.map { (0...1_000_000).contains($0) } == true, "\(backend.place)")
        }
        #expect(backends.compactMap { $0["weight"]?.int }.reduce(0, +) > 0)
    }

    @Test("the example workload keeps the contract: labels, scrape annotations, PORT and HOST, probes, writable paths")
    func workloadContract() throws {
        let app = "lora-train"
        let workloads = catalog.objects("Deployment").filter { $0.file.hasPrefix("manifests/examples/") }
        #expect(workloads.count == 2)
        for object in catalog.objects where object.file.hasPrefix("manifests/examples/") {
            #expect(object.labels == ["app.kubernetes.io/name": app, "app.kubernetes.io/managed-by": "tack", "app": app],
                    "\(object.testDescription)")
        }
        for deployment in workloads {
            let track = deployment.name == app ? "stable" : "canary"
            #expect(deployment.name == (track == "stable" ? app : "\(app)-canary"))
            #expect(deployment["spec", "selector", "matchLabels"]?.stringMap == ["app": app, "track": track])
            let container = try #require(deployment.containers.first)
            let image = container["image"]?.string ?? ""
            let tag = image.split(separator: "@").first.flatMap { $0.split(separator: ":").last }.map(String.init)
            #expect(deployment.podLabels == deployment.labels.merging(["track": track, "version": tag ?? ""]) { a, _ in a })
            let http = container["ports"]?.items.first { $0["name"]?.string == "http" }?["containerPort"]?.int
            #expect(http == 8080)
            let annotations = deployment["spec", "template", "metadata", "annotations"]?.stringMap
            #expect(annotations == ["prometheus.io/scrape": "true", "prometheus.io/port": "8080", "prometheus.io/path": "/metrics"])
            let env = Dictionary(uniqueKeysWithValues: (container["env"]?.items ?? []).compactMap { e in
                e["name"]?.string.map { ($0, e["value"]?.string ?? "") }
            })
            #expect(env["PORT"] == "8080" && env["HOST"] == "0.0.0.0")
            #expect(container["readinessProbe", "httpGet", "path"]?.string == "/readyz")
            #expect(container["livenessProbe", "httpGet", "path"]?.string == "/healthz")
            #expect(Set(writablePaths(of: deployment)) == ["/tmp", "/var/lib/\(app)"])
            #expect(deployment["spec", "progressDeadlineSeconds"]?.int != nil)
        }
        for service in catalog.objects("Service") where service.file.hasPrefix("manifests/examples/") {
            let ports = service["spec", "ports"]?.items ?? []
            #expect(ports.map { "\($0["port"]?.int ?? 0)->\($0["targetPort"]?.string ?? "")" } == ["80->http"], "\(service.testDescription)")
        }
    }

    @Test("the example is the pipeline's EKS account during setWeight 25: replicas, weights, image, Gateway")
    func examplePipeline() throws {
        let tackFiles = catalog.tackFiles
        let pipeline = try #require(tackFiles.first { $0["application"] != nil })
        let accounts = try #require(tackFiles.first { $0["accounts"] != nil })
        #expect(pipeline["application"]?.string == "lora-train")
        let account = try #require(accounts["accounts"]?.items.first { $0["traffic"]?.string == "gatewayAPI" })
        #expect(account["namespace"]?.string == "lora")
        #expect(account["gateway"]?.string == "gateway-system/public")
        let clusters = (pipeline["pipeline", "stages"]?.items ?? []).flatMap { $0["clusters"]?.items ?? [] }
        let cluster = try #require(clusters.first { $0["account"]?.string == account["name"]?.string })
        let steps = cluster["canary", "steps"]?.items ?? []
        #expect(steps.contains { $0["setWeight"]?.int == 25 })
        let size = try #require(cluster["targetSize"]?.int)
        let canary = try #require(catalog.object("Deployment", "lora-train-canary", namespace: "lora"))
        let stable = try #require(catalog.object("Deployment", "lora-train", namespace: "lora"))
        #expect(canary["spec", "replicas"]?.int == (size * 25 + 99) / 100)
        #expect(stable["spec", "replicas"]?.int == size)
        #expect(canary.containers.first?["image"]?.string == cluster["container"]?.string)
        let weights = catalog.object("HTTPRoute", "lora-train")?["spec", "rules"]?.items.first?["backendRefs"]?.items.compactMap { $0["weight"]?.int }
        #expect(weights == [75, 25])
    }

    @Test("the controller is one Recreate replica serving --listen on its http port, scraped through its Service")
    func controllerServing() throws {
        let deployment = try #require(catalog.object("Deployment", "tack-controller", namespace: "tack-system"))
        #expect(deployment["spec", "replicas"]?.int == 1)
        #expect(deployment["spec", "strategy", "type"]?.string == "Recreate")
        let container = try #require(deployment.containers.first)
        let args = container["args"]?.strings ?? []
        #expect(args.first == "controller")
        let listen = try #require(args.firstIndex(of: "--listen").flatMap { args.indices.contains($0 + 1) ? args[$0 + 1] : nil })
        let port = try #require(container["ports"]?.items.first { $0["name"]?.string == "http" }?["containerPort"]?.int)
        #expect(listen == "0.0.0.0:\(port)")
        #expect(container["readinessProbe", "httpGet", "path"]?.string == "/readyz")
        #expect(container["livenessProbe", "httpGet", "path"]?.string == "/healthz")
        let service = try #require(catalog.object("Service", "tack-controller", namespace: "tack-system"))
        #expect(service["metadata", "annotations"]?.stringMap == [
            "prometheus.io/scrape": "true", "prometheus.io/port": "\(port)", "prometheus.io/path": "/metrics",
        ])
        #expect(deployment["spec", "template", "metadata", "annotations", "prometheus.io/scrape"] == nil, "scraped twice")
    }

    @Test("TACK_HOME is the tack-state claim, TACK_ACCOUNTS the tack-accounts ConfigMap, kubeconfigs the Secret")
    func controllerFiles() throws {
        let deployment = try #require(catalog.object("Deployment", "tack-controller", namespace: "tack-system"))
        let container = try #require(deployment.containers.first)
        let env = Dictionary(uniqueKeysWithValues: (container["env"]?.items ?? []).compactMap { e in
            e["name"]?.string.map { ($0, e["value"]?.string ?? "") }
        })
        let state = try #require(mount(of: deployment, where: { $0["persistentVolumeClaim", "claimName"]?.string == "tack-state" }))
        #expect(env["TACK_HOME"] == state["mountPath"]?.string)
        let claim = try #require(catalog.object("PersistentVolumeClaim", "tack-state", namespace: "tack-system"))
        #expect(claim["spec", "accessModes"]?.strings == ["ReadWriteOnce"])

        let accounts = try #require(mount(of: deployment, where: { $0["configMap", "name"]?.string == "tack-accounts" }))
        #expect(env["TACK_ACCOUNTS"] == "/etc/tack/tack.yaml")
        #expect(accounts["mountPath"]?.string == env["TACK_ACCOUNTS"])
        let configMap = try #require(catalog.object("ConfigMap", "tack-accounts", namespace: "tack-system"))
        #expect(configMap["data", accounts["subPath"]?.string ?? ""] != nil)

        let kubeconfigs = try #require(mount(of: deployment, where: { $0["secret", "secretName"]?.string == "tack-kubeconfigs" }))
        #expect(kubeconfigs["mountPath"]?.string == "/etc/tack/kubeconfigs")
        #expect(kubeconfigs["readOnly"]?.bool == true)
    }

    @Test("each account's kubeconfig is a key of the mounted Secret, holds its context and no inline credential")
    func controllerKubeconfigs() throws {
        let secret = try #require(catalog.object("Secret", "tack-kubeconfigs", namespace: "tack-system"))
        #expect(secret["data"] == nil, "the example holds placeholders in stringData only")
        let files = secret["stringData"]?.pairs ?? []
        let accounts = try #require(Self.controllerAccounts()?["accounts"]?.items)
        let remote = accounts.filter { $0["kubeconfig"] != nil }
        #expect(remote.count == 1 && accounts.count == 2)
        for account in remote {
            let path = account["kubeconfig"]?.string ?? ""
            #expect(path.hasPrefix("/etc/tack/kubeconfigs/"), "\(account.place)")
            let key = (path as NSString).lastPathComponent
            let text = try #require(files.first { $0.key == key }?.value, "\(account.place): no key \(key) in the Secret")
            let kubeconfig = try #require(Self.parse(text))
            let context = account["context"]?.string ?? kubeconfig["current-context"]?.string
            let entry = try #require(kubeconfig["contexts"]?.items.first { $0["name"]?.string == context }, "no context \(context ?? "")")
            let user = try #require(kubeconfig["users"]?.items.first { $0["name"]?.string == entry["context", "user"]?.string })
            for field in ["token", "tokenFile", "client-key-data", "password"] {
                #expect(user["user", field] == nil, "\(user.place): \(field)")
            }
            #expect(user["user", "exec", "apiVersion"]?.string == "client.authentication.k8s.io/v1beta1")
        }
    }

    /// The accounts file inside the tack-accounts ConfigMap.
    static func controllerAccounts() -> ManifestValue? {
        ManifestCatalog.shared.object("ConfigMap", "tack-accounts")?["data", "tack.yaml"].flatMap(parse)
    }

    /// A YAML document held in a block scalar, with marks at its lines in the file.
    static func parse(_ block: ManifestValue) -> ManifestValue? {
        guard let text = block.string else { return nil }
        let document = try? YAMLParser.parse(String(repeating: "\n", count: block.node.mark.line) + text)
        return document?.root.map { ManifestValue(node: $0, file: block.file) }
    }

    /// The Deployments in a Service's namespace whose pods the Service selects.
    func selectedDeployments(by service: ManifestObject) -> [ManifestObject] {
        let selector = service["spec", "selector"]?.stringMap ?? [:]
        return catalog.objects("Deployment").filter { $0.namespace == service.namespace && Self.selects(selector, $0.podLabels) }
    }

    /// The mount of the first volume that satisfies `isWanted`.
    func mount(of deployment: ManifestObject, where isWanted: (ManifestValue) -> Bool) -> ManifestValue? {
        guard let volume = deployment.podSpec?["volumes"]?.items.first(where: isWanted)?["name"]?.string else { return nil }
        return deployment.containers.flatMap { $0["volumeMounts"]?.items ?? [] }.first { $0["name"]?.string == volume }
    }

    /// The paths a Deployment's containers may write: mounts that are not read-only.
    func writablePaths(of deployment: ManifestObject) -> [String] {
        deployment.containers.flatMap { $0["volumeMounts"]?.items ?? [] }.filter { $0["readOnly"]?.bool != true }.compactMap {
            $0["mountPath"]?.string
        }
    }

    static func selects(_ selector: [String: String], _ labels: [String: String]) -> Bool {
        !selector.isEmpty && selector.allSatisfy { labels[$0.key] == $0.value }
    }
}
