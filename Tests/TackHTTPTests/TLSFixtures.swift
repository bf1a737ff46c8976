import Foundation

/// Certificates made with the `openssl` command once per test run: a CA, a server certificate
/// for 127.0.0.1 and localhost, a client certificate, a server certificate only for `tack.test`,
/// all signed by the CA, and a second CA that signed nothing.
struct TLSFixtures: Sendable {
    let directory: String
    let caPEM: [UInt8]
    let otherCAPEM: [UInt8]
    let clientCertificatePEM: [UInt8]
    let clientKeyPEM: [UInt8]

    /// The fixtures, made on first use (off the concurrency pool: openssl takes a moment).
    static func shared() async throws -> TLSFixtures {
        try await cache.value
    }

    private static let cache = Task { try await offThePool { try TLSFixtures() } }

    /// This test process's own folder, removed when the process exits.
    private static let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("tack-http-tls-\(ProcessInfo.processInfo.processIdentifier)").path

    var caPath: String { directory + "/ca.pem" }
    var server: (certificate: String, key: String) { (directory + "/server.pem", directory + "/server.key") }
    var namedServer: (certificate: String, key: String) { (directory + "/named.pem", directory + "/named.key") }

    private init() throws {
        let directory = Self.folder
        self.directory = directory
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: TLSFixtures.folder) }
        let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        func openssl(_ arguments: [String]) throws {
            try Self.openssl(arguments, in: directory)
        }
        /// A key and a certificate for `subject` signed by the CA.
        func issue(_ name: String, subject: String, extensions: String) throws {
            try Data(extensions.utf8).write(to: URL(fileURLWithPath: directory + "/\(name).ext"))
            try openssl(["req"] + key + ["-keyout", "\(name).key", "-out", "\(name).csr", "-subj", "/CN=\(subject)"])
            try openssl(["x509", "-req", "-in", "\(name).csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                         "-out", "\(name).pem", "-days", "2", "-extfile", "\(name).ext"])
        }
        func read(_ name: String) throws -> [UInt8] {
            try Array(Data(contentsOf: URL(fileURLWithPath: directory + "/" + name)))
        }

        for ca in ["ca", "other-ca"] {
            try openssl(["req", "-x509"] + key + ["-keyout", "\(ca).key", "-out", "\(ca).pem", "-days", "2",
                         "-subj", "/CN=Tack test \(ca)"])
        }
        try issue("server", subject: "127.0.0.1", extensions: "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n")
        try issue("named", subject: "tack.test", extensions: "subjectAltName=DNS:tack.test\nextendedKeyUsage=serverAuth\n")
        try issue("client", subject: "tack-client", extensions: "extendedKeyUsage=clientAuth\n")
        caPEM = try read("ca.pem")
        otherCAPEM = try read("other-ca.pem")
        clientCertificatePEM = try read("client.pem")
        clientKeyPEM = try read("client.key")
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
        guard process.terminationStatus == 0 else { throw FixtureError.openssl(arguments.joined(separator: " ")) }
    }
}

enum FixtureError: Error {
    case openssl(String)
}
