import Foundation

/// Certificates made with the `openssl` command once per test process, for the TLS tests of the
/// HTTP client and the TLS front of the fake API server: a CA; a server certificate for 127.0.0.1 and localhost; a server certificate
/// only for `kube.test`; a client certificate `tack-client` (a kubeconfig's static one) and a client
/// certificate `tack-exec-client` (the one the exec plugin hands out), all signed by the CA; and a
/// second CA with a client certificate `tack-stranger` of its own. Two more client certificates
/// carry their keys in the older PEM forms kubeconfigs often hold: PKCS#1 `RSA PRIVATE KEY` (kubeadm,
/// kind) and SEC1 `EC PRIVATE KEY`. The folder goes when the process exits.
public struct TestCertificates: Sendable {
    /// The only name the `kube.test` server certificate is valid for.
    public static let namedServerName = "kube.test"

    public let directory: String
    public let caPEM: [UInt8]
    public let otherCAPEM: [UInt8]
    public let clientCertificatePEM: [UInt8]
    public let clientKeyPEM: [UInt8]
    public let execClientCertificatePEM: [UInt8]
    public let execClientKeyPEM: [UInt8]
    /// A client certificate and key the second CA signed.
    public let strangerCertificatePEM: [UInt8]
    public let strangerKeyPEM: [UInt8]
    /// A client certificate `tack-rsa-client` whose key is PKCS#1 (`-----BEGIN RSA PRIVATE KEY-----`).
    public let rsaClientCertificatePEM: [UInt8]
    public let rsaClientKeyPEM: [UInt8]
    /// A client certificate `tack-ec-client` whose key is SEC1 (`-----BEGIN EC PRIVATE KEY-----`).
    public let ecClientCertificatePEM: [UInt8]
    public let ecClientKeyPEM: [UInt8]

    /// The certificates, made on first use (on a thread of their own: openssl takes a moment).
    public static func shared() async throws -> TestCertificates {
        try await cache.value
    }

    private static let cache = Task {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try TestCertificates() }) }.start()
        }
    }

    /// This test process's own folder.
    private static let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("tack-test-tls-\(ProcessInfo.processInfo.processIdentifier)").path

    public var caPath: String { directory + "/ca.pem" }
    /// The certificate and key nginx serves for https://127.0.0.1.
    public var server: (certificate: String, key: String) { (directory + "/server.pem", directory + "/server.key") }
    /// A certificate and key valid for `kube.test` only.
    public var namedServer: (certificate: String, key: String) { (directory + "/named.pem", directory + "/named.key") }
    public var client: (certificate: String, key: String) { (directory + "/client.pem", directory + "/client.key") }

    /// Pieces of the client keys that only a leak could put into a message: stretches of the
    /// private part of each key's PEM body (not the header every P-256 key shares), and a stretch
    /// of the base64 of each whole PEM file (what `client-key-data` holds).
    public var keyMarkers: [String] {
        [clientKeyPEM, execClientKeyPEM, strangerKeyPEM, rsaClientKeyPEM, ecClientKeyPEM].flatMap { key -> [String] in
            let lines = String(decoding: key, as: UTF8.self).split(separator: "\n").filter { !$0.hasPrefix("-----") }
            let body = [lines.first.map { String($0.suffix(16)) }].compactMap { $0 } + lines.dropFirst().map { String($0.prefix(24)) }
            let base64 = Data(key).base64EncodedString()
            let middle = base64.index(base64.startIndex, offsetBy: base64.count / 2)
            return (body + [String(base64[middle...].prefix(24))]).filter { $0.count >= 12 }
        }
    }

    private init() throws {
        let directory = Self.folder
        self.directory = directory
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: TestCertificates.folder) }
        let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        func openssl(_ arguments: [String]) throws {
            try Self.openssl(arguments, in: directory)
        }
        /// A key (new, or the existing `NAME.key` when `hasKey`) and a certificate for `subject` signed by `ca`.
        func issue(_ name: String, subject: String, extensions: String, ca: String = "ca", hasKey: Bool = false) throws {
            try Data(extensions.utf8).write(to: URL(fileURLWithPath: directory + "/\(name).ext"))
            let newKey = hasKey ? ["-new", "-key", "\(name).key"] : key + ["-keyout", "\(name).key"]
            try openssl(["req"] + newKey + ["-out", "\(name).csr", "-subj", "/CN=\(subject)"])
            try openssl(["x509", "-req", "-in", "\(name).csr", "-CA", "\(ca).pem", "-CAkey", "\(ca).key", "-CAcreateserial",
                         "-out", "\(name).pem", "-days", "2", "-extfile", "\(name).ext"])
        }
        func read(_ name: String) throws -> [UInt8] {
            try Array(Data(contentsOf: URL(fileURLWithPath: directory + "/" + name)))
        }

        for ca in ["ca", "other-ca"] {
            try openssl(["req", "-x509"] + key + ["-keyout", "\(ca).key", "-out", "\(ca).pem", "-days", "2",
                         "-subj", "/CN=Tack kube test \(ca)"])
        }
        try issue("server", subject: "127.0.0.1", extensions: "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n")
        try issue("named", subject: Self.namedServerName,
                  extensions: "subjectAltName=DNS:\(Self.namedServerName)\nextendedKeyUsage=serverAuth\n")
        try issue("client", subject: "tack-client", extensions: "extendedKeyUsage=clientAuth\n")
        try issue("exec-client", subject: "tack-exec-client", extensions: "extendedKeyUsage=clientAuth\n")
        try issue("stranger", subject: "tack-stranger", extensions: "extendedKeyUsage=clientAuth\n", ca: "other-ca")
        try openssl(["genrsa", "-traditional", "-out", "rsa-client.key", "2048"])
        try issue("rsa-client", subject: "tack-rsa-client", extensions: "extendedKeyUsage=clientAuth\n", hasKey: true)
        try openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec-client.key"])
        try issue("ec-client", subject: "tack-ec-client", extensions: "extendedKeyUsage=clientAuth\n", hasKey: true)
        caPEM = try read("ca.pem")
        otherCAPEM = try read("other-ca.pem")
        clientCertificatePEM = try read("client.pem")
        clientKeyPEM = try read("client.key")
        execClientCertificatePEM = try read("exec-client.pem")
        execClientKeyPEM = try read("exec-client.key")
        strangerCertificatePEM = try read("stranger.pem")
        strangerKeyPEM = try read("stranger.key")
        rsaClientCertificatePEM = try read("rsa-client.pem")
        rsaClientKeyPEM = try read("rsa-client.key")
        ecClientCertificatePEM = try read("ec-client.pem")
        ecClientKeyPEM = try read("ec-client.key")
    }

    private static func openssl(_ arguments: [String], in directory: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestCertificateError(command: "openssl " + arguments.joined(separator: " ")) }
    }
}

/// An openssl command that failed while making the certificates.
struct TestCertificateError: Error, CustomStringConvertible {
    public var command: String
    public var description: String { "\(command) failed" }
}
