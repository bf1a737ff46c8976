/// How the client verifies servers and proves who it is, from in-memory PEM (as a kubeconfig gives).
public struct TLSConfiguration: Sendable, Hashable {
    /// CA certificates (PEM) to trust instead of the system's; nil trusts the system's.
    public var caPEM: [UInt8]?
    /// The client certificate (PEM) for mutual TLS; needs `clientKeyPEM`.
    public var clientCertificatePEM: [UInt8]?
    /// The client certificate's private key (PEM, unencrypted).
    public var clientKeyPEM: [UInt8]?
    /// The name to expect in the server's certificate and send as SNI, when it differs from the
    /// URL's host (kubeconfig `tls-server-name`); connections still go to the URL's host.
    public var serverName: String?
    /// Skips certificate verification; insecure, and the client warns when made with it.
    public var insecureSkipVerify: Bool

    /// A TLS configuration; the default verifies against the system's CAs.
    public init(
        caPEM: [UInt8]? = nil, clientCertificatePEM: [UInt8]? = nil, clientKeyPEM: [UInt8]? = nil,
        serverName: String? = nil, insecureSkipVerify: Bool = false
    ) {
        self.caPEM = caPEM
        self.clientCertificatePEM = clientCertificatePEM
        self.clientKeyPEM = clientKeyPEM
        self.serverName = serverName
        self.insecureSkipVerify = insecureSkipVerify
    }
}

extension TLSConfiguration {
    /// Checks the shape of each PEM block and the server name; messages never quote the bytes.
    func validate() throws(HTTPError) {
        func fail(_ message: String) -> HTTPError {
            HTTPError(.configuration, method: .get, host: "", path: "", message: message)
        }
        if let caPEM, !caPEM.containsPEM("CERTIFICATE") {
            throw fail("the CA bundle holds no PEM certificate")
        }
        switch (clientCertificatePEM, clientKeyPEM) {
        case (nil, nil):
            break
        case (let certificate?, let key?):
            guard certificate.containsPEM("CERTIFICATE") else { throw fail("the client certificate is not a PEM certificate") }
            guard !key.containsPEM("ENCRYPTED PRIVATE KEY"), !key.contains(Array("Proc-Type: 4,ENCRYPTED".utf8)) else {
                throw fail("the client key is encrypted")
            }
            // PKCS#8 (`PRIVATE KEY`) and the older RSA and EC forms kubeadm and kind write.
            guard ["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"].contains(where: key.containsPEM) else {
                throw fail("the client key is not a PEM private key")
            }
        case (nil, _?):
            throw fail("a client key was given without a client certificate")
        case (_?, nil):
            throw fail("a client certificate was given without its key")
        }
        if let serverName {
            let allowed = serverName.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            }
            guard allowed, !serverName.isEmpty, serverName.utf8.count <= 253 else {
                throw fail("the TLS server name is not a DNS name")
            }
        }
    }
}

extension [UInt8] {
    /// Whether the bytes hold a `-----BEGIN <label>-----` line.
    fileprivate func containsPEM(_ label: String) -> Bool {
        contains(Array("-----BEGIN \(label)-----".utf8))
    }

    /// Whether the bytes hold `marker` somewhere.
    fileprivate func contains(_ marker: [UInt8]) -> Bool {
        count >= marker.count && indices.dropLast(marker.count - 1).contains { self[$0..<$0 + marker.count].elementsEqual(marker) }
    }
}

extension TLSConfiguration: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Sizes of the PEM blocks, never their bytes: the key must not reach a log line.
    public var description: String {
        func size(_ bytes: [UInt8]?) -> String { bytes.map { "\($0.count) bytes" } ?? "none" }
        let name = serverName.map { "\"\($0)\"" } ?? "none"
        return "TLSConfiguration(ca: \(size(caPEM)), clientCertificate: \(size(clientCertificatePEM)), "
            + "clientKey: \(clientKeyPEM == nil ? "none" : "redacted"), serverName: \(name), insecureSkipVerify: \(insecureSkipVerify))"
    }

    public var debugDescription: String { description }

    /// Hides the bytes from `dump` and mirrors.
    public var customMirror: Mirror {
        Mirror(self, children: ["description": description])
    }
}
