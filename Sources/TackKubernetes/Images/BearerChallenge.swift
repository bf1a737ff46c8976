import Foundation

/// A `WWW-Authenticate: Bearer realm="…",service="…",scope="…"` challenge from a registry.
struct BearerChallenge: Hashable {
    var realm: String
    var service: String?
    var scope: String?

    /// The challenge in a header value, or nil when it is not a Bearer challenge with a realm.
    init?(_ header: String?) {
        guard let header, header.lowercased().hasPrefix("bearer ") else { return nil }
        var parameters: [String: String] = [:]
        var rest = header.dropFirst("bearer ".count)[...]
        while let equals = rest.firstIndex(of: "=") {
            let key = rest[..<equals].trimmingCharacters(in: [" ", ","]).lowercased()
            rest = rest[rest.index(after: equals)...]
            let value: Substring
            if rest.first == "\"" {
                rest = rest.dropFirst()
                let end = rest.firstIndex(of: "\"") ?? rest.endIndex
                value = rest[..<end]
                rest = end < rest.endIndex ? rest[rest.index(after: end)...] : rest[end...]
            } else {
                let end = rest.firstIndex(of: ",") ?? rest.endIndex
                value = rest[..<end]
                rest = rest[end...]
            }
            parameters[key] = String(value)
        }
        guard let realm = parameters["realm"], realm.hasPrefix("https://") || realm.hasPrefix("http://") else { return nil }
        self.realm = realm
        service = parameters["service"]
        scope = parameters["scope"]
    }
}
