import Foundation
import TackYAML

/// A decoded kubeconfig cluster: where the API server is and how to trust it.
struct KubeconfigCluster: Sendable {
    /// The server URL without a trailing slash.
    var server: String
    /// The CA bundle, from `certificate-authority-data` or else the `certificate-authority` file.
    var caPEM: [UInt8]?
    var tlsServerName: String?
    var insecureSkipTLSVerify: Bool
    /// The proxy for curl: `socks5://` becomes `socks5h://`, since client-go lets the proxy resolve names.
    var proxyURL: String?
    /// `proxy-url` as written, for an exec plugin's cluster info.
    var writtenProxyURL: String?
    var disableCompression: Bool
    /// The `client.authentication.k8s.io/exec` extension, sent to exec plugins as `spec.cluster.config`.
    var execExtension: JSONValue?

    static let keys = [
        "server", "certificate-authority", "certificate-authority-data", "tls-server-name", "insecure-skip-tls-verify",
        "proxy-url", "disable-compression", "extensions",
    ]
    /// The extension whose content goes to exec plugins.
    static let execExtensionName = "client.authentication.k8s.io/exec"

    /// Decodes `entry`, reading its CA file; every problem is thrown with its place.
    static func decode(_ entry: KubeconfigEntry) throws(KubeError) -> KubeconfigCluster {
        let reader = KubeconfigReader(path: entry.file)
        let decoded = decode(entry, reader: reader)
        try reader.check()
        guard let decoded else { throw .configuration("\(entry.file): \(entry.what) could not be read") }
        return decoded
    }

    private static func decode(_ entry: KubeconfigEntry, reader: KubeconfigReader) -> KubeconfigCluster? {
        let what = entry.what
        guard let body = reader.mapping(entry.body, what: what, keys: keys) else { return nil }
        let server = body.required("server").flatMap { Self.server($0, what: what, reader: reader) }
        // certificate-authority-data overrides the path, whose file is then not read.
        let caPEM = body.has("certificate-authority-data")
            ? reader.pemData(body, "certificate-authority-data", what: what)
            : reader.pemFile(body, "certificate-authority", what: what)
        let insecure = reader.boolean(body, "insecure-skip-tls-verify", what: what) ?? false
        if insecure, let node = body.keyNode("insecure-skip-tls-verify"),
           body.has("certificate-authority-data") || body.has("certificate-authority") {
            reader.error("\(what) sets both a certificate authority and insecure-skip-tls-verify: true; remove one", at: node)
        }
        let serverName = reader.string(body, "tls-server-name", what: what)
        if let serverName, let node = body["tls-server-name"], !serverName.isDNSName {
            reader.error("tls-server-name of \(what) must be a DNS name; got \(serverName.quoted)", at: node)
        }
        let proxy = body["proxy-url"].flatMap { Self.proxyURL($0, what: what, reader: reader) }
        let disableCompression = reader.boolean(body, "disable-compression", what: what) ?? false
        let extensionNode = body["extensions"].flatMap { Self.execExtension($0, what: what, reader: reader) }
        guard let server else { return nil }
        return KubeconfigCluster(
            server: server, caPEM: caPEM, tlsServerName: serverName, insecureSkipTLSVerify: insecure,
            proxyURL: proxy.map { $0.hasPrefix("socks5://") ? "socks5h://" + $0.dropFirst("socks5://".count) : $0 },
            writtenProxyURL: proxy, disableCompression: disableCompression, execExtension: extensionNode?.jsonValue)
    }

    /// `server`: an http(s) URL with a host; never quoted in messages, it may hold credentials.
    private static func server(_ node: YAMLNode, what: String, reader: KubeconfigReader) -> String? {
        guard let text = reader.yaml.string(node, what: "server of \(what)") else { return nil }
        let lowered = text.lowercased()
        guard lowered.hasPrefix("https://") || lowered.hasPrefix("http://") else {
            reader.error("server of \(what) must be an https:// URL such as https://10.0.0.1:6443", at: node)
            return nil
        }
        let rest = text[text.range(of: "://")!.upperBound...]
        let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !host.isEmpty, !host.contains("@"), !text.contains(where: { $0.isWhitespace }) else {
            reader.error("server of \(what) must be a URL with a host and no credentials, such as https://10.0.0.1:6443", at: node)
            return nil
        }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }

    /// `proxy-url`: http, https or socks5, as client-go allows.
    private static func proxyURL(_ node: YAMLNode, what: String, reader: KubeconfigReader) -> String? {
        guard let text = reader.yaml.string(node, what: "proxy-url of \(what)") else { return nil }
        let scheme = text.range(of: "://").map { text[..<$0.lowerBound].lowercased() }
        guard let scheme, ["http", "https", "socks5"].contains(scheme) else {
            reader.error("proxy-url of \(what) must start with http://, https:// or socks5://", at: node)
            return nil
        }
        return text
    }

    /// The `client.authentication.k8s.io/exec` entry of `extensions`, a list of `{name, extension}`.
    private static func execExtension(_ node: YAMLNode, what: String, reader: KubeconfigReader) -> YAMLNode? {
        guard let items = reader.list(node, what: "extensions of \(what)") else { return nil }
        var found: YAMLNode?
        for item in items {
            guard let entry = reader.mapping(item, what: "an extension of \(what)", keys: ["name", "extension"]),
                  let name = entry.required("name").flatMap({ reader.yaml.string($0, what: "the name of an extension of \(what)") }),
                  let value = entry.required("extension") else { continue }
            if name == execExtensionName, found == nil { found = value }
        }
        return found
    }
}
