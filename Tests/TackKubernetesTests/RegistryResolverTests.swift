import TackCore
import TackHTTP
import Testing

@testable import TackKubernetes

@Suite("Pinning images by digest")
struct RegistryResolverTests {
    @Test("a tag is pinned to the digest a real registry serves for it, and a re-pushed tag to its new digest")
    func pinsTags() async throws {
        let registry = try await RegistryServer()
        defer { registry.stop() }
        let first = try await registry.push(repository: "demo/lora-train", tag: "v2", label: "one")
        let resolver = RegistryResolver(transport: registry.http)
        let image = try ImageRef(parsing: "\(registry.domain)/demo/lora-train:v2")
        let pinned = try await resolver.resolve(image)
        #expect(pinned.digest == first)
        #expect(pinned.tag == "v2")
        #expect(pinned.description == "\(registry.domain)/demo/lora-train:v2@\(first)")

        let second = try await registry.push(repository: "demo/lora-train", tag: "v2", label: "two")
        #expect(second != first)
        #expect(try await resolver.resolve(image).digest == second)
    }

    @Test("an image given with its digest is not looked up")
    func keepsDigests() async throws {
        let digest = "sha256:" + String(repeating: "ab", count: 32)
        let image = try ImageRef(parsing: "127.0.0.1:1/demo/app:v1@\(digest)")
        let resolver = RegistryResolver(transport: try CurlHTTPClient(configuration: HTTPClientConfiguration(retry: .never)))
        #expect(try await resolver.resolve(image) == image)
    }

    @Test("a tag the registry does not have is an error naming the tag and repository")
    func unknownTag() async throws {
        let registry = try await RegistryServer()
        defer { registry.stop() }
        _ = try await registry.push(repository: "demo/app", tag: "v1", label: "x")
        let resolver = RegistryResolver(transport: registry.http)
        await #expect {
            try await resolver.resolve(try ImageRef(parsing: "\(registry.domain)/demo/app:v9"))
        } throws: { error in
            "\(error)".contains("no tag v9 for demo/app")
        }
    }

    @Test("Docker Hub names resolve to registry-1.docker.io under library/")
    func hubLocation() throws {
        #expect(RegistryLocation(try ImageRef(parsing: "nginx:1.27")) == RegistryLocation(baseURL: "https://registry-1.docker.io", repository: "library/nginx"))
        #expect(RegistryLocation(try ImageRef(parsing: "docker.io/team/app:v1")).repository == "team/app")
        #expect(RegistryLocation(try ImageRef(parsing: "ghcr.io/tack-dev/tack:v1")).baseURL == "https://ghcr.io")
        #expect(RegistryLocation(try ImageRef(parsing: "localhost:5000/app:v1")).baseURL == "http://localhost:5000")
    }

    @Test("a registry's bearer challenge gives the token service, service and scope")
    func challenge() {
        let challenge = BearerChallenge(#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull""#)
        #expect(challenge?.realm == "https://auth.docker.io/token")
        #expect(challenge?.service == "registry.docker.io")
        #expect(challenge?.scope == "repository:library/nginx:pull")
        #expect(BearerChallenge(#"Basic realm="x""#) == nil)
    }
}
