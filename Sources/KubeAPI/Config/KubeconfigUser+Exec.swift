import TackYAML

extension KubeconfigUser {
    static let execKeys = ["command", "args", "env", "apiVersion", "installHint", "provideClusterInfo", "interactiveMode"]

    /// The `exec` entry of a user.
    static func decodeExec(
        _ node: YAMLNode, entry: KubeconfigEntry, reader: KubeconfigReader
    ) -> (ExecPluginConfiguration, provideClusterInfo: Bool)? {
        let what = "exec of \(entry.what)"
        guard let exec = reader.mapping(node, what: what, keys: execKeys) else { return nil }
        var environment: [(name: String, value: String)] = []
        if let envNode = exec["env"], let items = reader.list(envNode, what: "env of \(what)") {
            for item in items {
                if let pairs = item.mapping { pairs.filter { $0.key.scalar?.value == "value" }.forEach { reader.remember($0.value) } }
                guard let variable = reader.mapping(item, what: "a variable of env of \(what)", keys: ["name", "value"]),
                      let name = variable.required("name").flatMap({ reader.yaml.string($0, what: "the name of a variable of \(what)") })
                else { continue }
                let value = variable["value"]?.scalar.map { $0.isNull ? "" : $0.value }
                if value == nil, let valueNode = variable["value"] {
                    reader.error("the value of \(name) in env of \(what) must be a string; got \(KubeconfigReader.shape(of: valueNode))", at: valueNode)
                }
                environment.append((name, value ?? ""))
            }
        }
        var arguments: [String] = []
        if let argsNode = exec["args"], let items = reader.list(argsNode, what: "args of \(what)") {
            for item in items {
                guard let scalar = item.scalar, !scalar.isNull else {
                    reader.error("each of args of \(what) must be a string; got \(KubeconfigReader.shape(of: item))", at: item)
                    continue
                }
                arguments.append(scalar.value)
            }
        }
        let command = exec.required("command").flatMap { reader.yaml.string($0, what: "command of \(what)") }
        let apiVersion = exec.required("apiVersion").flatMap { Self.apiVersion($0, what: what, reader: reader) }
        checkInteractiveMode(exec, apiVersion: apiVersion, what: what, reader: reader)
        let installHint = reader.string(exec, "installHint", what: what)
        let provideClusterInfo = reader.boolean(exec, "provideClusterInfo", what: what) ?? false
        guard let command, let apiVersion else { return nil }
        let configuration = ExecPluginConfiguration(
            command: command, arguments: arguments, environment: environment, apiVersion: apiVersion,
            installHint: installHint, origin: "\(entry.what) of \(entry.file)")
        return (configuration, provideClusterInfo)
    }

    private static func apiVersion(_ node: YAMLNode, what: String, reader: KubeconfigReader) -> ExecPluginConfiguration.APIVersion? {
        let allowed = ExecPluginConfiguration.APIVersion.allCases.map(\.rawValue)
        if node.scalar?.value == "client.authentication.k8s.io/v1alpha1" {
            reader.error("apiVersion of \(what): client.authentication.k8s.io/v1alpha1 was removed in Kubernetes 1.24; "
                + "use \(allowed.joined(separator: " or ")) (update the plugin if it only speaks v1alpha1)", at: node)
            return nil
        }
        return reader.yaml.choice(node, what: "apiVersion of \(what)", from: allowed).flatMap(ExecPluginConfiguration.APIVersion.init)
    }

    /// `interactiveMode`: required for v1 (as client-go requires); `Always` is refused, a controller has no terminal.
    private static func checkInteractiveMode(
        _ exec: YAMLMapping, apiVersion: ExecPluginConfiguration.APIVersion?, what: String, reader: KubeconfigReader
    ) {
        guard let node = exec["interactiveMode"] else {
            if apiVersion == .v1 {
                reader.error("interactiveMode of \(what) is required with client.authentication.k8s.io/v1; set it to Never or IfAvailable", at: exec.node)
            }
            return
        }
        if reader.yaml.choice(node, what: "interactiveMode of \(what)", from: ["Never", "IfAvailable", "Always"]) == "Always" {
            reader.error("interactiveMode of \(what) is Always, but Tack runs plugins without a terminal; "
                + "use a plugin mode that needs no prompt and set interactiveMode to Never or IfAvailable", at: node)
        }
    }
}
