/// An OCI image reference as written in a pipeline: `name[:tag][@sha256:digest]`.
public struct ImageRef: Hashable, Sendable, CustomStringConvertible {
    /// The registry host with optional port, such as `registry.example.com:5000`, or nil when absent.
    public var domain: String?
    /// The repository path inside the registry, such as `team/app`.
    public var path: String
    /// The tag, such as `v1.2`, or nil when absent.
    public var tag: String?
    /// The content digest, `sha256:` followed by 64 lowercase hex digits, or nil when absent.
    public var digest: String?

    /// The repository name: the domain and path joined by `/`, or the path alone.
    public var name: String { domain.map { "\($0)/\(path)" } ?? path }

    /// The version as a valid Kubernetes label value, used alike by pod labels, metric selectors and
    /// the local runtime: the tag, else `sha256-` and 12 digest digits, else `latest`; one that is
    /// not a valid label value as it stands (over 63 characters, starting with `_`, ending with `.`
    /// or `-`) becomes a readable prefix of it, `-` and 8 hex digits of its SHA-256.
    public var version: String {
        if let tag { return LabelValue.from(tag) }
        if let digest {
            let hex = digest.firstIndex(of: ":").map { digest[digest.index(after: $0)...] } ?? Substring(digest)
            return LabelValue.from("sha256-" + hex.prefix(12))
        }
        return "latest"
    }

    /// The canonical text of the reference: `name[:tag][@digest]`.
    public var description: String {
        name + (tag.map { ":" + $0 } ?? "") + (digest.map { "@" + $0 } ?? "")
    }

    /// Creates a reference from its parts without validating them.
    public init(domain: String?, path: String, tag: String?, digest: String?) {
        self.domain = domain
        self.path = path
        self.tag = tag
        self.digest = digest
    }

    /// Parses `name[:tag][@sha256:digest]`, throwing an error that points at the offending part.
    public init(parsing text: String) throws(ImageRefError) {
        let c = Array(text)
        guard !c.isEmpty else {
            throw ImageRefError(offset: 0, message: "the reference is empty; \(Self.expected)")
        }
        if let space = c.firstIndex(where: \.isWhitespace) {
            throw ImageRefError(offset: space, message: "the reference contains whitespace")
        }
        let at = c.firstIndex(of: "@") ?? c.count
        let lastComponentStart = c[..<at].lastIndex(of: "/").map { $0 + 1 } ?? 0
        let colon = c[lastComponentStart..<at].firstIndex(of: ":") ?? at
        guard colon > 0 else {
            throw ImageRefError(offset: 0, message: "the repository name is missing; \(Self.expected)")
        }
        let (domain, path) = try Self.parseName(c, 0..<colon)
        var tag: String?
        if colon < at { tag = try Self.parseTag(c, colon..<at) }
        var digest: String?
        if at < c.count { digest = try Self.parseDigest(c, at..<c.count) }
        self.init(domain: domain, path: path, tag: tag, digest: digest)
    }
}

/// A problem found while parsing an image reference, with the offset where it starts.
public struct ImageRefError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The 0-based offset, in Characters, into the input where the problem starts.
    public var offset: Int
    /// A sentence saying what is wrong and what is allowed.
    public var message: String
    /// The message, for display after a caller-supplied location prefix.
    public var description: String { message }

    /// Creates an error at `offset` with `message`.
    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }
}

// MARK: - Parsing

private typealias Chars = [Character]

extension ImageRef {
    private static let expected = "expected name[:tag][@sha256:digest], e.g. lora-scripts:v1.2"
    private static let maxNameLength = 255
    private static let maxTagLength = 128
    private static let digestRule = "digest must be sha256: followed by 64 lowercase hex digits"

    /// Splits the name into an optional domain and a path, validating every component.
    private static func parseName(_ c: Chars, _ r: Range<Int>) throws(ImageRefError) -> (String?, String) {
        var parts = components(c, r)
        var domain: String?
        if parts.count > 1, looksLikeDomain(String(c[parts[0]])) {
            try checkDomain(c, parts.removeFirst())
            domain = String(c[r.lowerBound..<parts[0].lowerBound - 1])
        }
        for part in parts { try checkPathComponent(c, part) }
        guard r.count <= maxNameLength else {
            throw ImageRefError(
                offset: r.lowerBound,
                message: "the name is \(r.count) characters long; at most \(maxNameLength) are allowed")
        }
        return (domain, String(c[parts[0].lowerBound..<r.upperBound]))
    }

    /// The ranges of the `/`-separated components in `r`, empty ones included.
    private static func components(_ c: Chars, _ r: Range<Int>) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = r.lowerBound
        for i in r where c[i] == "/" {
            result.append(start..<i)
            start = i + 1
        }
        result.append(start..<r.upperBound)
        return result
    }

    /// Whether a leading component names a registry rather than a repository.
    private static func looksLikeDomain(_ s: String) -> Bool {
        s.contains(".") || s.contains(":") || s == "localhost"
    }

    /// Validates `host[:port]` or `[ipv6][:port]`.
    private static func checkDomain(_ c: Chars, _ r: Range<Int>) throws(ImageRefError) {
        let hostEnd: Int
        let hostOK: Bool
        if c[r.lowerBound] == "[" {
            let close = c[r].firstIndex(of: "]")
            hostEnd = close.map { $0 + 1 } ?? r.upperBound
            let inside = c[(r.lowerBound + 1)..<(close ?? r.lowerBound + 1)]
            hostOK = !inside.isEmpty && inside.allSatisfy { $0.isASCIIHex || $0 == ":" }
                && (hostEnd == r.upperBound || c[hostEnd] == ":")
        } else {
            hostEnd = c[r].firstIndex(of: ":") ?? r.upperBound
            hostOK = c[r.lowerBound..<hostEnd].split(separator: ".", omittingEmptySubsequences: false)
                .allSatisfy { isJoined($0, word: \.isASCIIAlnum, separator: { $0.allSatisfy { $0 == "-" } }) }
        }
        guard hostOK else {
            throw ImageRefError(
                offset: r.lowerBound,
                message: "domain \"\(String(c[r.lowerBound..<hostEnd]))\" must be a host name of letters, digits "
                    + "and - joined by \".\", or a bracketed IPv6 address such as [::1]")
        }
        guard hostEnd < r.upperBound else { return }
        let port = c[(hostEnd + 1)..<r.upperBound]
        guard !port.isEmpty, port.allSatisfy(\.isASCIIDigit) else {
            throw ImageRefError(
                offset: hostEnd + 1, message: "port \"\(String(port))\" must be one or more digits, e.g. 5000")
        }
    }

    /// Validates one lowercase path component such as `lora-scripts`.
    private static func checkPathComponent(_ c: Chars, _ r: Range<Int>) throws(ImageRefError) {
        guard !r.isEmpty else {
            throw ImageRefError(offset: r.lowerBound, message: "empty repository name component")
        }
        if isPathComponent(c[r]) { return }
        let text = String(c[r])
        if isPathComponent(Array(text.lowercased())[...]) {
            throw ImageRefError(offset: r.lowerBound, message: "repository name \"\(text)\" must be lowercase")
        }
        throw ImageRefError(
            offset: r.lowerBound,
            message: "repository name component \"\(text)\" may contain only lowercase letters, digits "
                + "and separators (., _, __, -) between them")
    }

    /// Whether `s` matches `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`.
    private static func isPathComponent(_ s: ArraySlice<Character>) -> Bool {
        isJoined(s, word: \.isLowerAlnum) { $0 == "." || $0 == "_" || $0 == "__" || $0.allSatisfy { $0 == "-" } }
    }

    /// Validates the tag after the `:` at `r.lowerBound`.
    private static func parseTag(_ c: Chars, _ r: Range<Int>) throws(ImageRefError) -> String {
        let tag = c[(r.lowerBound + 1)..<r.upperBound]
        guard let first = tag.first else {
            throw ImageRefError(
                offset: r.lowerBound, message: "the tag after \":\" is empty; write a tag such as v1.2 or remove the \":\"")
        }
        let valid = tag.count <= maxTagLength && (first.isASCIIAlnum || first == "_")
            && tag.allSatisfy { $0.isASCIIAlnum || $0 == "_" || $0 == "." || $0 == "-" }
        guard valid else {
            throw ImageRefError(
                offset: r.lowerBound + 1,
                message: "tag \"\(String(tag))\" may contain only letters, digits, _, . and - "
                    + "(at most \(maxTagLength), not starting with . or -)")
        }
        return String(tag)
    }

    /// Validates the `sha256:<64 hex>` digest after the `@` at `r.lowerBound`.
    private static func parseDigest(_ c: Chars, _ r: Range<Int>) throws(ImageRefError) -> String {
        let start = r.lowerBound + 1
        let digest = c[start..<r.upperBound]
        guard !digest.isEmpty else {
            throw ImageRefError(offset: r.lowerBound, message: "the digest after \"@\" is empty; \(digestRule)")
        }
        guard let colon = digest.firstIndex(of: ":"),
              isJoined(c[start..<colon], word: \.isLowerAlnum, separator: { ["+", ".", "_", "-"].contains($0) })
        else { throw ImageRefError(offset: start, message: digestRule) }
        let algorithm = String(c[start..<colon])
        guard algorithm == "sha256" else {
            throw ImageRefError(
                offset: start, message: "unsupported digest algorithm \"\(algorithm)\"; only sha256 is accepted")
        }
        let hex = c[(colon + 1)..<r.upperBound]
        guard hex.count == 64, hex.allSatisfy(\.isLowerHex) else {
            throw ImageRefError(offset: start, message: digestRule)
        }
        return String(digest)
    }

    /// Whether `s` is runs of `word` characters joined by separator runs that `separator` accepts.
    private static func isJoined(
        _ s: ArraySlice<Character>, word: (Character) -> Bool, separator: (String) -> Bool
    ) -> Bool {
        var runs: [(isWord: Bool, text: String)] = []
        for ch in s {
            if let last = runs.last, last.isWord == word(ch) {
                runs[runs.count - 1].text.append(ch)
            } else {
                runs.append((word(ch), String(ch)))
            }
        }
        guard runs.first?.isWord == true, runs.last?.isWord == true else { return false }
        return runs.allSatisfy { $0.isWord || separator($0.text) }
    }
}

extension Character {
    /// The ASCII byte when this Character is exactly one ASCII scalar.
    fileprivate var singleASCII: UInt8? { unicodeScalars.count == 1 ? asciiValue : nil }
    fileprivate var isASCIIDigit: Bool { singleASCII.map { (0x30...0x39).contains($0) } ?? false }
    fileprivate var isLowerAlnum: Bool { isASCIIDigit || singleASCII.map { (0x61...0x7A).contains($0) } ?? false }
    /// An ASCII letter or digit.
    var isASCIIAlnum: Bool { isLowerAlnum || singleASCII.map { (0x41...0x5A).contains($0) } ?? false }
    fileprivate var isLowerHex: Bool { isASCIIDigit || singleASCII.map { (0x61...0x66).contains($0) } ?? false }
    fileprivate var isASCIIHex: Bool { isLowerHex || singleASCII.map { (0x41...0x46).contains($0) } ?? false }
}
