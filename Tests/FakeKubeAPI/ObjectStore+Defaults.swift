import KubeAPI

/// The defaults kube-apiserver fills in, for the fields clients are likely to read back: enough that a
/// client comparing what it sent with what it reads sees the same kind of differences.
extension ObjectStore {
    /// Fills absent fields of `object` as the resource's defaulting does; `old` is the stored
    /// object on an update (a Service keeps its allocated ClusterIP).
    mutating func applyDefaults(to object: inout JSONValue, old: JSONValue?, _ served: ServedResource) {
        switch served.resource {
        case .deployments:
            Self.setIfAbsent(&object, ["spec", "replicas"], 1)
            Self.setIfAbsent(&object, ["spec", "revisionHistoryLimit"], 10)
            Self.setIfAbsent(&object, ["spec", "progressDeadlineSeconds"], 600)
            Self.setIfAbsent(&object, ["spec", "strategy", "type"], "RollingUpdate")
            if object[path: ["spec", "strategy", "type"]] == "RollingUpdate" {
                Self.setIfAbsent(&object, ["spec", "strategy", "rollingUpdate", "maxUnavailable"], "25%")
                Self.setIfAbsent(&object, ["spec", "strategy", "rollingUpdate", "maxSurge"], "25%")
            }
            if object[path: ["spec", "template", "spec"]] != nil { Self.defaultPodSpec(&object, at: ["spec", "template", "spec"]) }
        case .pods:
            if object["spec"] != nil { Self.defaultPodSpec(&object, at: ["spec"]) }
        case .services:
            defaultService(&object, old: old)
        default:
            break
        }
    }

    private static func setIfAbsent(_ object: inout JSONValue, _ path: [String], _ value: JSONValue) {
        if object.value(at: path) == nil { object.setValue(value, at: path) }
    }

    private static func defaultPodSpec(_ object: inout JSONValue, at path: [String]) {
        setIfAbsent(&object, path + ["restartPolicy"], "Always")
        setIfAbsent(&object, path + ["terminationGracePeriodSeconds"], 30)
        setIfAbsent(&object, path + ["dnsPolicy"], "ClusterFirst")
        setIfAbsent(&object, path + ["schedulerName"], "default-scheduler")
        setIfAbsent(&object, path + ["securityContext"], .object([:]))
        guard let containers = object.value(at: path + ["containers"])?.array else { return }
        let defaulted = containers.map { container -> JSONValue in
            var container = container
            let image = container["image"]?.string ?? ""
            let tag = image.split(separator: "/").last.flatMap { $0.split(separator: ":").dropFirst().first }
            setIfAbsent(&container, ["imagePullPolicy"], tag == nil || tag == "latest" ? "Always" : "IfNotPresent")
            setIfAbsent(&container, ["terminationMessagePath"], "/dev/termination-log")
            setIfAbsent(&container, ["terminationMessagePolicy"], "File")
            setIfAbsent(&container, ["resources"], .object([:]))
            if let ports = container["ports"]?.array {
                container["ports"] = .array(ports.map { port in
                    var port = port
                    setIfAbsent(&port, ["protocol"], "TCP")
                    return port
                })
            }
            return container
        }
        object.setValue(.array(defaulted), at: path + ["containers"])
    }

    private mutating func defaultService(_ object: inout JSONValue, old: JSONValue?) {
        Self.setIfAbsent(&object, ["spec", "type"], "ClusterIP")
        Self.setIfAbsent(&object, ["spec", "sessionAffinity"], "None")
        Self.setIfAbsent(&object, ["spec", "internalTrafficPolicy"], "Cluster")
        if object[path: ["spec", "clusterIP"]] == nil {
            if let ip = old?[path: ["spec", "clusterIP"]] {
                object.setValue(ip, at: ["spec", "clusterIP"])
                object.setValue(old?[path: ["spec", "clusterIPs"]] ?? .array([ip]), at: ["spec", "clusterIPs"])
            } else {
                allocatedServiceIPs += 1
                let ip = JSONValue.string("10.96.\(allocatedServiceIPs / 250).\(allocatedServiceIPs % 250 + 2)")
                object.setValue(ip, at: ["spec", "clusterIP"])
                object.setValue(.array([ip]), at: ["spec", "clusterIPs"])
            }
        }
        Self.setIfAbsent(&object, ["spec", "ipFamilies"], ["IPv4"])
        Self.setIfAbsent(&object, ["spec", "ipFamilyPolicy"], "SingleStack")
        if let ports = object[path: ["spec", "ports"]]?.array {
            object.setValue(.array(ports.map { port in
                var port = port
                Self.setIfAbsent(&port, ["protocol"], "TCP")
                if let number = port["port"] { Self.setIfAbsent(&port, ["targetPort"], number) }
                return port
            }), at: ["spec", "ports"])
        }
    }
}
