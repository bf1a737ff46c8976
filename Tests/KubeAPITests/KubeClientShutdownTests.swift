import FakeKubeAPI
import KubeAPI
import Synchronization
import TestSupport
import Testing

/// A credential the test changes by hand, as an exec plugin hands out a new client certificate.
private final class SwitchedCredential: CredentialSource {
    private let current = Mutex(KubeCredential.none)

    func set(_ credential: KubeCredential) {
        current.withLock { $0 = credential }
    }

    func credential() async throws(KubeError) -> KubeCredential { current.withLock { $0 } }
    func invalidate() async {}
}

/// `KubeClient.shutdown()`, which Tack calls when an account's settings change and its driver is
/// replaced: the old client must release its libcurl handles and send nothing more.
@Suite("Kubernetes client: shutdown")
struct KubeClientShutdownTests {
    @Test("a shut-down client says so and sends nothing more, not even with a new exec certificate")
    func shutdownRefusesRequests() async throws {
        let certificates = try await TestCertificates.shared()
        let credential = SwitchedCredential()
        try await KubeClientHarness.with(credentials: credential) { kube in
            _ = try await kube.client.create(.configMaps, KubeClientHarness.configMap("before"))
            #expect(!kube.client.isShutDown)
            kube.client.shutdown()
            #expect(kube.client.isShutDown)
            // A certificate needs a libcurl client of its own: a shut-down client must not make one.
            credential.set(.clientCertificate(certificatePEM: certificates.execClientCertificatePEM,
                                              keyPEM: certificates.execClientKeyPEM))
            let error = await kubeErrorAsync { try await kube.client.create(.configMaps, KubeClientHarness.configMap("after")) }
            #expect(error?.description == "cancelled")
            #expect(kube.calls.count == 1)
        }
    }
}
