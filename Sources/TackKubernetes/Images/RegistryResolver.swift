import Foundation
import TackCore
import TackHTTP

/// Pins an image tag to its digest by asking the image's registry (the OCI distribution API), so
/// every account runs the same bytes. Anonymous pulls, with the registry's bearer-token challenge.
public struct RegistryResolver: Sendable {
    let transport: any HTTPTransport

    /// A resolver sending its requests through `transport`.
    public init(transport: any HTTPTransport) {
        self.transport = transport
    }

    /// The media types a tag may point to: multi-platform indexes first, then single manifests.
    static let accept = [
        "application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json",
    ].joined(separator: ", ")

    /// `image` with its digest: unchanged when it has one, else the digest the registry gives its tag.
    public func resolve(_ image: ImageRef) async throws(RegistryError) -> ImageRef {
        if image.digest != nil { return image }
        let location = RegistryLocation(image)
        let url = "\(location.baseURL)/v2/\(location.repository)/manifests/\(image.tag ?? "latest")"
        var headers: HTTPHeaders = ["Accept": Self.accept]
        var response = try await send(HTTPRequest(method: .head, url: url, headers: headers), image)
        if response.status == 401, let challenge = BearerChallenge(response.headers["WWW-Authenticate"]) {
            let token = try await self.token(challenge, repository: location.repository, image)
            headers.add(name: "Authorization", value: "Bearer \(token)")
            response = try await send(HTTPRequest(method: .head, url: url, headers: headers), image)
        }
        guard response.status == 200 else {
            throw RegistryError(image: image, message: response.status == 404
                ? "the registry has no tag \(image.tag ?? "latest") for \(location.repository)"
                : "the registry answered \(response.status) to the manifest request")
        }
        var digest = response.headers["Docker-Content-Digest"]
        if digest == nil {
            // Some registries leave the header off HEAD answers: the digest is that of the manifest bytes.
            let manifest = try await send(HTTPRequest(method: .get, url: url, headers: headers), image)
            guard manifest.status == 200 else { throw RegistryError(image: image, message: "the registry answered \(manifest.status) to GET") }
            digest = "sha256:" + SHA256.hex(SHA256.hash(manifest.body))
        }
        guard let digest, digest.hasPrefix("sha256:"), digest.count == 71 else {
            throw RegistryError(image: image, message: "the registry gave no sha256 digest")
        }
        var pinned = image
        pinned.digest = digest
        return pinned
    }

    /// Fetches a pull token for `repository` from the challenge's realm.
    private func token(_ challenge: BearerChallenge, repository: String, _ image: ImageRef) async throws(RegistryError) -> String {
        var query = [("scope", challenge.scope ?? "repository:\(repository):pull")]
        if let service = challenge.service { query.insert(("service", service), at: 0) }
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        let text = query.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.1)" }.joined(separator: "&")
        let response = try await send(HTTPRequest(url: challenge.realm + (challenge.realm.contains("?") ? "&" : "?") + text), image)
        struct Token: Decodable {
            var token: String?
            var access_token: String?
        }
        guard response.status == 200, let token = try? JSONDecoder().decode(Token.self, from: Data(response.body)),
              let value = token.token ?? token.access_token, !value.isEmpty
        else {
            throw RegistryError(image: image, message: "the registry's token service answered \(response.status) without a token "
                                + "(private images are not supported yet: give the image with its digest)")
        }
        return value
    }

    private func send(_ request: HTTPRequest, _ image: ImageRef) async throws(RegistryError) -> HTTPResponse {
        do {
            return try await transport.send(request)
        } catch {
            throw RegistryError(image: image, message: error.description)
        }
    }
}

/// Why an image could not be pinned.
public struct RegistryError: Error, Sendable, CustomStringConvertible {
    /// The image.
    public var image: ImageRef
    /// What went wrong.
    public var message: String

    public var description: String { "cannot pin \(image) to a digest: \(message)" }
}
