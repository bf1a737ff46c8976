import TackCore
import TackYAML

/// Decodes and validates an accounts file, reporting every problem to the reader's log.
struct AccountsDecoder {
    let reader: YAMLReader

    static let topKeys = ["accounts", "metricsAccounts"]
    private static let accountKeys = ["name", "kind", "scope"]
    private static let kubernetesOnlyKeys = ["kubeconfig", "context", "namespace", "traffic", "gateway", "qps", "burst"]
    private static let kubernetesKeys = accountKeys + kubernetesOnlyKeys
    private static let metricsKeys = ["name", "kind", "url", "bearerTokenFile", "bearerTokenEnv", "basicAuth"]
    private static let basicAuthKeys = ["username", "passwordFile", "passwordEnv"]

    private static let inlineToken =
        "inline secrets are not allowed: put the token in a file and use bearerTokenFile: PATH, or in an environment variable and use bearerTokenEnv: NAME"
    private static let inlinePassword =
        "inline secrets are not allowed: put the password in a file and use passwordFile: PATH, or in an environment variable and use passwordEnv: NAME"
    private static let inlineKubernetesCredential =
        "inline credentials are not allowed: Tack takes a cluster's credentials from the kubeconfig file (kubeconfig: PATH, with context: NAME)"

    func decode(_ root: YAMLNode) -> AccountsFile? {
        guard let top = reader.mapping(root, what: "the accounts file", keys: Self.topKeys) else { return nil }
        var accounts: [Account] = []
        var metricsAccounts: [MetricsAccount] = []
        var names: [String: Mark] = [:]
        if let node = top["accounts"], let items = reader.sequence(node, what: "accounts") {
            for item in items {
                guard let account = decodeAccount(item) else { continue }
                if claim(account.name, at: item, in: &names) { accounts.append(account) }
            }
        }
        var metricsNames: [String: Mark] = [:]
        if let node = top["metricsAccounts"], let items = reader.sequence(node, what: "metricsAccounts") {
            for item in items {
                guard let account = decodeMetricsAccount(item) else { continue }
                if claim(account.name, at: item, in: &metricsNames) { metricsAccounts.append(account) }
            }
        }
        if accounts.isEmpty && metricsAccounts.isEmpty && !reader.log.hasErrors {
            reader.log.error("the accounts file defines no accounts; add accounts or metricsAccounts", at: root.mark)
        }
        return reader.log.hasErrors ? nil : AccountsFile(accounts: accounts, metricsAccounts: metricsAccounts)
    }

    /// Records a name; reports it when it was already taken.
    private func claim(_ name: String, at item: YAMLNode, in names: inout [String: Mark]) -> Bool {
        let mark = item.mapping?.first { $0.key.scalar?.value == "name" }?.value.mark ?? item.mark
        if let first = names[name] {
            reader.log.error("account \(name.quoted) is defined twice (first at line \(first.line), column \(first.column))", at: mark)
            return false
        }
        names[name] = mark
        return true
    }

    private func decodeAccount(_ node: YAMLNode) -> Account? {
        let kindNode = node.mapping?.first { $0.key.scalar?.value == "kind" }?.value
        let kind = kindNode.flatMap { reader.choice($0, what: "kind", from: ["local", "kubernetes"]) }
        var refusing = ["token": Self.inlineKubernetesCredential, "password": Self.inlineKubernetesCredential,
                        "clientKeyData": Self.inlineKubernetesCredential]
        if kind == "local" {
            for key in Self.kubernetesOnlyKeys {
                refusing[key] = "\(key) applies only to accounts of kind: kubernetes"
            }
        }
        let keys = kind == "kubernetes" ? Self.kubernetesKeys : Self.accountKeys
        guard let map = reader.mapping(node, what: "an account", keys: keys, refusing: refusing) else { return nil }
        let name = map.required("name").flatMap { reader.name($0, what: "account name") }
        let scope = map["scope"].flatMap { reader.name($0, what: "scope") } ?? name
        if kindNode == nil { _ = map.required("kind") }
        guard let name, let scope, let kind else { return nil }
        guard kind == "kubernetes" else { return Account(name: name, scope: scope, kind: .local) }
        let traffic = map["traffic"].flatMap {
            reader.choice($0, what: "traffic", from: KubernetesAccount.Traffic.allCases.map(\.rawValue))
        }.flatMap(KubernetesAccount.Traffic.init(rawValue:))
        let gateway = decodeGateway(map["gateway"], traffic: traffic ?? .replicas, at: map["traffic"] ?? node)
        let kubernetes = KubernetesAccount(
            kubeconfig: map["kubeconfig"].flatMap { reader.string($0, what: "kubeconfig (a file path)") },
            context: map["context"].flatMap { reader.string($0, what: "context") },
            namespace: map["namespace"].flatMap { reader.name($0, what: "namespace") } ?? "default",
            traffic: traffic ?? .replicas, gateway: gateway,
            qps: map["qps"].flatMap(decodeQPS),
            burst: map["burst"].flatMap { reader.integer($0, what: "burst (requests sent at once)", in: 1...Int.max) })
        return Account(name: name, scope: scope, kind: .kubernetes(kubernetes))
    }

    /// `qps`: a positive number of requests per second, such as 50 or 0.5.
    private func decodeQPS(_ node: YAMLNode) -> Double? {
        let expected = "qps (requests per second) must be a positive number such as 50 or 0.5"
        guard let scalar = node.scalar, scalar.isPlain, !scalar.value.isEmpty,
              scalar.value.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), let value = Double(scalar.value) else {
            reader.log.error("\(expected); got \(reader.describe(node))", at: node.mark)
            return nil
        }
        guard value > 0, value.isFinite else {
            reader.log.error("\(expected); got \(scalar.value)", at: node.mark)
            return nil
        }
        return value
    }

    /// `gateway: NAMESPACE/NAME`: required with `traffic: gatewayAPI`, refused otherwise.
    private func decodeGateway(_ node: YAMLNode?, traffic: KubernetesAccount.Traffic, at trafficNode: YAMLNode) -> GatewayReference? {
        guard let node else {
            if traffic == .gatewayAPI {
                reader.log.error("traffic: gatewayAPI needs gateway: NAMESPACE/NAME, the Gateway the HTTPRoute attaches to", at: trafficNode.mark)
            }
            return nil
        }
        guard traffic == .gatewayAPI else {
            reader.log.error("gateway applies only with traffic: gatewayAPI", at: node.mark)
            return nil
        }
        guard let text = reader.string(node, what: "gateway") else { return nil }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let isName = { (part: String) in
            !part.isEmpty && part.count <= 63 && part.first!.isLetter && part.last != "-"
                && part.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
        }
        guard parts.count == 2, isName(parts[0]), isName(parts[1]) else {
            reader.log.error("gateway \(text.quoted) must be NAMESPACE/NAME, both lowercase names, e.g. gateway-system/public", at: node.mark)
            return nil
        }
        return GatewayReference(namespace: parts[0], name: parts[1])
    }

    private func decodeMetricsAccount(_ node: YAMLNode) -> MetricsAccount? {
        let refusing = ["bearerToken": Self.inlineToken, "token": Self.inlineToken, "password": Self.inlinePassword]
        guard let map = reader.mapping(node, what: "a metrics account", keys: Self.metricsKeys, refusing: refusing) else {
            return nil
        }
        let name = map.required("name").flatMap { reader.name($0, what: "metrics account name") }
        let kind = map["kind"].flatMap { reader.choice($0, what: "kind", from: ["prometheus", "local"]) } ?? "prometheus"
        var source: MetricsAccount.Source?
        if kind == "local" {
            if let url = map["url"] {
                reader.log.error("a metrics account of kind: local uses the embedded Prometheus; remove url", at: url.mark)
            }
            source = .local
        } else if let url = map.required("url") {
            source = decodeURL(url).map(MetricsAccount.Source.url)
        }
        let auth = decodeAuth(map)
        guard let name, let source, let auth else { return nil }
        return MetricsAccount(name: name, source: source, auth: auth)
    }

    private func decodeAuth(_ map: YAMLMapping) -> MetricsAuth? {
        let present = ["bearerTokenFile", "bearerTokenEnv", "basicAuth"].filter(map.has)
        if present.count > 1 {
            reader.log.error("use one of bearerTokenFile, bearerTokenEnv and basicAuth; found \(present.joined(separator: " and "))",
                             at: map.keyNode(present[1])!.mark)
        }
        // Every method present is decoded, so an inline password is reported even next to a conflict.
        var auth: MetricsAuth? = present.isEmpty ? MetricsAuth.none : nil
        if let node = map["bearerTokenFile"] {
            auth = reader.string(node, what: "bearerTokenFile").map { .bearerToken(.file($0)) }
        }
        if let node = map["bearerTokenEnv"] {
            auth = environmentName(node, what: "bearerTokenEnv").map { .bearerToken(.environment($0)) }
        }
        if let node = map["basicAuth"] {
            auth = decodeBasicAuth(node)
        }
        return present.count > 1 ? nil : auth
    }

    private func decodeBasicAuth(_ node: YAMLNode) -> MetricsAuth? {
        guard let basic = reader.mapping(node, what: "basicAuth", keys: Self.basicAuthKeys,
                                         refusing: ["password": Self.inlinePassword]) else { return nil }
        let username = basic.required("username").flatMap { reader.string($0, what: "username") }
        var password: SecretReference?
        switch (basic["passwordFile"], basic["passwordEnv"]) {
        case (let file?, nil): password = reader.string(file, what: "passwordFile").map(SecretReference.file)
        case (nil, let env?): password = environmentName(env, what: "passwordEnv").map(SecretReference.environment)
        case (_?, _?):
            reader.log.error("use one of passwordFile and passwordEnv, not both", at: basic.keyNode("passwordEnv")!.mark)
        case (nil, nil):
            if !basic.has("password") {
                reader.log.error("basicAuth needs passwordFile: PATH or passwordEnv: NAME", at: node.mark)
            }
        }
        guard let username, let password else { return nil }
        return .basic(username: username, password: password)
    }

    private func environmentName(_ node: YAMLNode, what: String) -> String? {
        guard let name = reader.string(node, what: what) else { return nil }
        let valid = name.first.map { $0 == "_" || ($0.isASCII && $0.isLetter) } == true
            && name.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
        guard valid else {
            reader.log.error("\(what) must name an environment variable: letters, digits and _, not starting with a digit "
                             + "(the value is not shown, in case it is the secret itself)", at: node.mark)
            return nil
        }
        return name
    }

    /// An http or https URL without credentials in it. No message echoes the URL: its query may
    /// hold a token.
    private func decodeURL(_ node: YAMLNode) -> String? {
        guard let url = reader.string(node, what: "url") else { return nil }
        let scheme = url.prefix { $0 != ":" }
        let hasScheme = url.hasPrefix("\(scheme)://")
        // Checked first, whatever the scheme, so no other message echoes the credentials.
        let authority = url.dropFirst(hasScheme ? scheme.count + 3 : 0).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if authority.contains("@") {
            reader.log.error("url must not hold credentials; use basicAuth with passwordFile or passwordEnv", at: node.mark)
            return nil
        }
        guard hasScheme, scheme == "http" || scheme == "https" else {
            reader.log.error("url must start with http:// or https://, e.g. http://127.0.0.1:9090", at: node.mark)
            return nil
        }
        let host = authority.hasPrefix("[") ? authority.prefix { $0 != "]" } : authority.prefix { $0 != ":" }
        guard !host.isEmpty, !authority.contains(" ") else {
            reader.log.error("url has no valid host; expected http://HOST[:PORT][/PATH], e.g. http://127.0.0.1:9090", at: node.mark)
            return nil
        }
        return url
    }
}
