import Foundation
import TackYAML

/// What an exec plugin printed: the credential and when it expires. Parsing errors name the
/// field at fault, never a value.
struct ExecCredentialReply: Sendable {
    var credential: KubeCredential
    /// `status.expirationTimestamp`; nil: valid until a 401.
    var expiry: Date?

    /// Parses stdout of a plugin configured by `configuration`; `plugin` names it in messages.
    static func parse(_ stdout: [UInt8], configuration: ExecPluginConfiguration, plugin: String) throws(KubeError) -> ExecCredentialReply {
        let reply: JSONValue
        do {
            reply = try JSONValue.parse(stdout)
        } catch {
            throw .credentials("\(plugin) printed no ExecCredential JSON (\(stdout.count) bytes on stdout, not shown)")
        }
        guard reply.object != nil else { throw .credentials("\(plugin) printed JSON that is not an ExecCredential object") }
        let asked = configuration.apiVersion.rawValue
        guard let version = reply["apiVersion"]?.string else {
            throw .credentials("\(plugin) answered without apiVersion; it must be \(asked), the version the kubeconfig asks for")
        }
        guard version == asked else {
            throw .credentials("\(plugin) answered apiVersion \(version.quoted), but the kubeconfig asks for \(asked); they must match "
                + "(change exec.apiVersion or update the plugin)")
        }
        guard reply["kind"]?.string == "ExecCredential" else {
            throw .credentials("\(plugin) answered a kind other than ExecCredential")
        }
        guard let status = reply["status"], status.object != nil else {
            throw .credentials("\(plugin) answered an ExecCredential without status")
        }
        var expiry: Date?
        if let stamp = status["expirationTimestamp"], stamp != .null {
            guard let text = stamp.string, let date = parseRFC3339(text) else {
                throw .credentials("\(plugin) answered a status.expirationTimestamp that is not an RFC 3339 time")
            }
            expiry = date
        }
        return ExecCredentialReply(credential: try credential(status, plugin: plugin), expiry: expiry)
    }

    /// `status.token`, or `clientCertificateData` with `clientKeyData` (a token wins when both come).
    private static func credential(_ status: JSONValue, plugin: String) throws(KubeError) -> KubeCredential {
        if let token = status["token"]?.string, !token.isEmpty {
            return .bearerToken(token)
        }
        let certificate = status["clientCertificateData"]?.string ?? ""
        let key = status["clientKeyData"]?.string ?? ""
        switch (certificate.isEmpty, key.isEmpty) {
        case (false, false):
            return .clientCertificate(certificatePEM: Array(certificate.utf8), keyPEM: Array(key.utf8))
        case (true, true):
            throw .credentials("\(plugin) answered neither status.token nor status.clientCertificateData with status.clientKeyData")
        case (false, true):
            throw .credentials("\(plugin) answered status.clientCertificateData without status.clientKeyData; both are required")
        case (true, false):
            throw .credentials("\(plugin) answered status.clientKeyData without status.clientCertificateData; both are required")
        }
    }

    /// An RFC 3339 time, with or without fractional seconds.
    static func parseRFC3339(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
