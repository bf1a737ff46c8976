import Testing

@testable import TackHTTP

@Suite("Client key forms")
struct TLSKeyFormTests {
    private let certificate = Array("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".utf8)

    private func validate(_ key: String) -> String? {
        do {
            try TLSConfiguration(clientCertificatePEM: certificate, clientKeyPEM: Array(key.utf8)).validate()
            return nil
        } catch {
            return error.message
        }
    }

    @Test("PKCS#8, PKCS#1 (RSA, as kubeadm and kind write) and SEC1 (EC) keys are accepted")
    func accepted() {
        for label in ["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"] {
            #expect(validate("-----BEGIN \(label)-----\nMIIE\n-----END \(label)-----\n") == nil, "\(label)")
        }
    }

    @Test("encrypted keys, in PKCS#8 or the older Proc-Type form, are refused without quoting them")
    func encrypted() {
        #expect(validate("-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIE\n-----END ENCRYPTED PRIVATE KEY-----\n") == "the client key is encrypted")
        let legacy = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nMIIE\n-----END RSA PRIVATE KEY-----\n"
        #expect(validate(legacy) == "the client key is encrypted")
        #expect(validate("not a key") == "the client key is not a PEM private key")
    }
}
