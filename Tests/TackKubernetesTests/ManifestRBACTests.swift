import Testing

@Suite("Manifests: RBAC grants the controller exactly what it uses, namespace by namespace")
struct ManifestRBACTests {
    /// One permission: an API group, a resource and a verb.
    struct Grant: Hashable, CustomStringConvertible {
        var group: String
        var resource: String
        var verb: String

        var description: String { "\(group.isEmpty ? "core" : group)/\(resource):\(verb)" }
    }

    /// What Tack does in a target namespace. It reads only from watch-fed caches (list, watch; never
    /// a GET of one object), writes by server-side apply and merge patch (PATCH; an apply that
    /// creates the object is also authorized as `create`), and deletes only Deployments.
    static let deployer: Set<Grant> = grants("apps", "deployments", ["list", "watch", "create", "patch", "delete"])
        .union(grants("", "services", ["list", "watch", "create", "patch"]))
        .union(grants("gateway.networking.k8s.io", "httproutes", ["list", "watch", "create", "patch"]))
        .union(grants("", "pods", ["list", "watch"]))

    let catalog = ManifestCatalog.shared

    @Test("nothing is granted cluster-wide")
    func namespaced() {
        #expect(catalog.objects("ClusterRole").isEmpty)
        #expect(catalog.objects("ClusterRoleBinding").isEmpty)
    }

    @Test("no rule uses a wildcard or names resources it does not list")
    func wildcards() {
        for role in catalog.objects("Role") {
            for rule in role["rules"]?.items ?? [] {
                for key in ["apiGroups", "resources", "verbs", "resourceNames", "nonResourceURLs"] {
                    let values = rule[key]?.strings ?? []
                    #expect(!values.contains { $0.contains("*") }, "\(rule.place): \(key) has a wildcard")
                }
                let resources = rule["resources"]?.strings ?? [], verbs = rule["verbs"]?.strings ?? []
                #expect(!resources.isEmpty, "\(rule.place): no resources")
                #expect(!verbs.isEmpty, "\(rule.place): no verbs")
            }
        }
    }

    @Test("tack-deployer grants exactly list, watch, create, patch on Tack's objects, delete on Deployments, list, watch on pods")
    func deployerRole() throws {
        let role = try #require(catalog.object("Role", "tack-deployer", namespace: "lora"))
        let granted = Self.granted(by: role)
        #expect(granted.subtracting(Self.deployer).map(\.description).sorted() == [], "more than Tack uses")
        #expect(Self.deployer.subtracting(granted).map(\.description).sorted() == [], "less than Tack uses")
        #expect(!granted.contains { $0.resource == "secrets" || $0.resource == "configmaps" })
    }

    @Test("tack-deployer is the only Role: leader election is not implemented, so nothing grants leases")
    func onlyDeployer() {
        #expect(catalog.objects("Role").map(\.name) == ["tack-deployer"])
        let resources = catalog.objects("Role").flatMap { Self.granted(by: $0) }.map(\.resource)
        #expect(!resources.contains("leases"))
    }

    @Test("every RoleBinding binds a Role of its namespace to the controller's ServiceAccount")
    func bindings() throws {
        let bindings = catalog.objects("RoleBinding")
        #expect(bindings.count == catalog.objects("Role").count)
        for binding in bindings {
            #expect(binding["roleRef", "kind"]?.string == "Role", "\(binding.testDescription)")
            #expect(binding["roleRef", "apiGroup"]?.string == "rbac.authorization.k8s.io", "\(binding.testDescription)")
            let role = binding["roleRef", "name"]?.string ?? ""
            #expect(catalog.object("Role", role, namespace: binding.namespace) != nil, "\(binding.testDescription): no Role \(role)")
            let subjects = binding["subjects"]?.items ?? []
            #expect(subjects.count == 1, "\(binding.testDescription)")
            for subject in subjects {
                #expect(subject["kind"]?.string == "ServiceAccount", "\(subject.place)")
                let account = subject["name"]?.string ?? ""
                let namespace = try #require(subject["namespace"]?.string, "\(subject.place): a ServiceAccount subject needs its namespace")
                #expect(catalog.object("ServiceAccount", account, namespace: namespace) != nil, "\(subject.place): no ServiceAccount")
            }
        }
    }

    @Test("the controller may deploy to the namespace of every in-cluster account")
    func inClusterAccounts() throws {
        let accounts = try #require(ManifestWiringTests.controllerAccounts()?["accounts"]?.items)
        let inCluster = accounts.filter { $0["kind"]?.string == "kubernetes" && $0["kubeconfig"] == nil }
        #expect(!inCluster.isEmpty)
        for account in inCluster {
            let namespace = account["namespace"]?.string ?? "default"
            let binding = catalog.objects("RoleBinding").first { $0.namespace == namespace && $0["roleRef", "name"]?.string == "tack-deployer" }
            #expect(binding != nil, "\(account.place): no tack-deployer RoleBinding in \(namespace)")
        }
    }

    static func grants(_ group: String, _ resource: String, _ verbs: [String]) -> Set<Grant> {
        Set(verbs.map { Grant(group: group, resource: resource, verb: $0) })
    }

    /// Every (group, resource, verb) a Role's rules grant.
    static func granted(by role: ManifestObject) -> Set<Grant> {
        var granted: Set<Grant> = []
        for rule in role["rules"]?.items ?? [] {
            for group in rule["apiGroups"]?.strings ?? [] {
                for resource in rule["resources"]?.strings ?? [] {
                    granted.formUnion(grants(group, resource, rule["verbs"]?.strings ?? []))
                }
            }
        }
        return granted
    }
}
