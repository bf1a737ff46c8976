import TackCore

/// Where an image's registry answers and what its repository is called there, with Docker Hub's
/// conventions (`docker.io` → `registry-1.docker.io`, one-part names under `library/`).
struct RegistryLocation: Hashable {
    /// `https://host[:port]`, or `http://` for a registry on this machine.
    var baseURL: String
    /// The repository path, such as `library/nginx`.
    var repository: String
}

extension RegistryLocation {
    /// The location of `image`'s registry and repository.
    init(_ image: ImageRef) {
        let domain = image.domain ?? "docker.io"
        let isHub = domain == "docker.io" || domain == "index.docker.io"
        let host = isHub ? "registry-1.docker.io" : domain
        let hostName = host.split(separator: ":").first.map(String.init) ?? host
        let isLocal = hostName == "localhost" || hostName == "127.0.0.1" || hostName == "[::1]"
        baseURL = (isLocal ? "http://" : "https://") + host
        repository = isHub && !image.path.contains("/") ? "library/\(image.path)" : image.path
    }
}
