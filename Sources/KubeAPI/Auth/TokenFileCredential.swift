import Foundation

/// A bearer token read from a file that may be rewritten at any time (projected service-account
/// tokens rotate): re-read when the file changes, at least every `maxAge`, and at once after
/// `invalidate()`.
public actor TokenFileCredential: CredentialSource {
    /// The token file.
    public nonisolated let path: String
    /// The longest a token read is used without reading the file again (client-go: one minute).
    public nonisolated let maxAge: Duration
    private let now: @Sendable () -> Date
    private var cached: (token: String, stamp: FileStamp, readAt: Date)?

    /// A source reading `path`; `now` is the clock, for tests.
    public init(path: String, maxAge: Duration = .seconds(60), now: @escaping @Sendable () -> Date = Date.init) {
        self.path = path
        self.maxAge = maxAge
        self.now = now
    }

    /// The token, trimmed of surrounding whitespace; a missing or empty file throws `.credentials`
    /// naming the path (while a token read earlier is still cached, that one is given instead).
    public func credential() async throws(KubeError) -> KubeCredential {
        let stamp = FileStamp(path: path)
        if let cached, stamp == cached.stamp, now().timeIntervalSince(cached.readAt) < maxAge.timeInterval {
            return .bearerToken(cached.token)
        }
        do {
            let token = try read()
            cached = (token, stamp ?? FileStamp(), now())
            return .bearerToken(token)
        } catch {
            // A file briefly missing while it is swapped must not fail requests a cached token can serve.
            if let cached { return .bearerToken(cached.token) }
            throw error
        }
    }

    /// Forgets the token, so the next call reads the file.
    public func invalidate() async {
        cached = nil
    }

    private func read() throws(KubeError) -> String {
        let bytes: [UInt8]
        switch KubeconfigReader.read(path, limit: 1 << 20) {
        case .success(let read): bytes = read
        case .failure(let problem): throw .credentials("the token file \(path) \(problem.reason)")
        }
        let token = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw .credentials("the token file \(path) is empty") }
        return token
    }
}

extension TokenFileCredential: CustomStringConvertible, CustomReflectable {
    /// The path, never the token.
    public nonisolated var description: String { "token file \(path)" }

    /// Shows the path only, so `dump` never reaches the cached token.
    public nonisolated var customMirror: Mirror { Mirror(self, children: ["path": path]) }
}

extension Duration {
    /// The duration in seconds, as Foundation's intervals count.
    fileprivate var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
