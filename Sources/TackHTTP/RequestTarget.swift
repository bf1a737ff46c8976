/// A request's URL taken apart: what errors may name (host, path) and what they must not (the
/// query string, header values), plus the URL and connect-to rule curl is given.
struct RequestTarget: Sendable {
    let method: HTTPMethod
    /// `http` or `https`, lowercased.
    let scheme: String
    /// The host and the port when the URL gives one, without credentials; IPv6 in brackets.
    let authority: String
    /// The path without query string or fragment; `/` when the URL has none.
    let path: String
    /// The URL for curl: without fragment, and with `serverName` as host when one is set.
    let curlURL: String
    /// A CURLOPT_CONNECT_TO rule sending connections for `serverName` to the URL's host.
    let connectTo: String?
    /// Strings no message may contain: the query string and its values, header values.
    let secrets: [String]

    /// Parses `request.url`; `serverName` replaces the host for TLS (SNI and verification).
    init(_ request: HTTPRequest, serverName: String?) throws(HTTPError) {
        method = request.method
        let url = request.url
        func invalid(_ message: String, authority: String = "", path: String = "") -> HTTPError {
            HTTPError(.invalidRequest, method: request.method, host: authority, path: path, message: message)
        }
        if url.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) {
            throw invalid("the URL contains spaces or control characters")
        }
        guard let separator = url.range(of: "://") else { throw invalid("the URL is not absolute") }
        scheme = url[..<separator.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { throw invalid("the URL's scheme is not http or https") }

        let afterScheme = url[separator.upperBound...]
        let authorityEnd = afterScheme.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? afterScheme.endIndex
        let rawAuthority = afterScheme[..<authorityEnd]
        guard !rawAuthority.contains("@") else {
            throw invalid("a URL with credentials is refused; send an Authorization header instead")
        }
        let (host, port) = try Self.split(authority: rawAuthority) { invalid("the URL's host or port is not valid") }
        authority = rawAuthority.lowercased()

        let rest = afterScheme[authorityEnd...]
        let withoutFragment = rest.prefix { $0 != "#" }
        let queryStart = withoutFragment.firstIndex(of: "?")
        let rawPath = withoutFragment[..<(queryStart ?? withoutFragment.endIndex)]
        path = rawPath.isEmpty ? "/" : String(rawPath)
        let query = queryStart.map { withoutFragment[withoutFragment.index(after: $0)...] } ?? ""

        if let serverName {
            let portSuffix = port.map { ":\($0)" } ?? ""
            curlURL = "\(scheme)://\(serverName)\(portSuffix)\(withoutFragment)"
            connectTo = "\(serverName)::\(host):"
        } else {
            curlURL = "\(scheme)://\(rawAuthority)\(withoutFragment)"
            connectTo = nil
        }
        secrets = Self.secrets(query: query, headers: request.headers)
    }

    /// Splits `host[:port]` or `[v6]:port`; the host keeps IPv6 brackets.
    private static func split(
        authority: Substring, invalid: () -> HTTPError
    ) throws(HTTPError) -> (host: Substring, port: Int?) {
        let host: Substring
        let portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw invalid() }
            host = authority[...close]
            let after = authority[authority.index(after: close)...]
            guard after.isEmpty || after.hasPrefix(":") else { throw invalid() }
            portText = after.isEmpty ? nil : after.dropFirst()
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
            portText = nil
        }
        guard !host.isEmpty, host.allSatisfy({ $0.isLetter || $0.isNumber || ".-_[]:%".contains($0) }) else {
            throw invalid()
        }
        guard let portText else { return (host, nil) }
        guard let port = Int(portText), (1...65535).contains(port) else { throw invalid() }
        return (host, port)
    }

    /// The query string, its parameter values and every header value and word, when long enough
    /// to be a credential (short ones like `1` or `gzip` would only garble messages).
    private static func secrets(query: Substring, headers: HTTPHeaders) -> [String] {
        var found: [Substring] = [query]
        for parameter in query.split(separator: "&") {
            found.append(parameter)
            if let equals = parameter.firstIndex(of: "=") { found.append(parameter[parameter.index(after: equals)...]) }
        }
        for field in headers {
            let value = Substring(field.value)
            found.append(value)
            found.append(contentsOf: value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," || $0 == ";" }))
        }
        let unique = Set(found.filter { $0.count >= 6 }.map(String.init))
        return unique.sorted { $0.count > $1.count }     // longest first, so a value goes before its words
    }

    /// `message` with every secret replaced.
    func redacted(_ message: String) -> String {
        secrets.reduce(message) { $0.replacing($1, with: "<redacted>") }
    }

    /// An error about this request; the message is redacted.
    func error(_ kind: HTTPError.Kind, _ message: String) -> HTTPError {
        HTTPError(kind, method: method, host: authority, path: path, message: redacted(message))
    }
}
