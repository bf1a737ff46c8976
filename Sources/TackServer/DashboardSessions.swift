import Foundation
import Synchronization
import TackCore

/// The web page's sign-ins: one-time codes that `tack dashboard` asks for with the controller's
/// token, and the session tokens a browser gets for a code. Kept in memory only (a restarted
/// controller signs every browser out) and only as SHA-256 hashes, so that neither a code nor a
/// token can be read back or found by timing a lookup.
public final class DashboardSessions: Sendable {
    /// What a browser gets for a code: its bearer token and when it stops working.
    public struct Session: Sendable, Hashable, Codable {
        /// The bearer token of the session.
        public var token: String
        /// When the token stops working.
        public var expiresAt: Date
    }

    /// A one-time code and until when it can be exchanged.
    public struct Link: Sendable, Hashable, Codable {
        /// The code, for `/#login=<code>`.
        public var code: String
        /// When the code stops working.
        public var expiresAt: Date
    }

    /// How long a code can be exchanged.
    public let linkLifetime: Duration
    /// How long a session lasts.
    public let sessionLifetime: Duration
    /// At most this many codes and as many sessions are kept; the oldest give way.
    public let capacity: Int
    private let now: @Sendable () -> Date
    private let state = Mutex((links: [String: Date](), sessions: [String: Date]()))

    /// Sessions with the given lifetimes; `now` is the clock.
    public init(linkLifetime: Duration = .seconds(60), sessionLifetime: Duration = .seconds(12 * 3600), capacity: Int = 1000,
                now: @escaping @Sendable () -> Date = Date.init) {
        self.linkLifetime = linkLifetime
        self.sessionLifetime = sessionLifetime
        self.capacity = capacity
        self.now = now
    }

    /// A new one-time code.
    public func issueLink() -> Link {
        let code = ControllerToken.generate()
        let time = now()
        let expiresAt = time.addingTimeInterval(linkLifetime.seconds)
        state.withLock { state in
            Self.admit(Self.key(code), until: expiresAt, into: &state.links, capacity: capacity, now: time)
        }
        return Link(code: code, expiresAt: expiresAt)
    }

    /// A session for `code`, which is used up; nil when the code is unknown, used or expired.
    public func exchange(_ code: String) -> Session? {
        let time = now()
        let token = ControllerToken.generate()
        let expiresAt = time.addingTimeInterval(sessionLifetime.seconds)
        return state.withLock { state -> Session? in
            guard let until = state.links.removeValue(forKey: Self.key(code)), until > time else { return nil }
            Self.admit(Self.key(token), until: expiresAt, into: &state.sessions, capacity: capacity, now: time)
            return Session(token: token, expiresAt: expiresAt)
        }
    }

    /// Whether `token` is a session's that has not expired.
    public func admits(_ token: some StringProtocol) -> Bool {
        let time = now()
        return state.withLock { state in state.sessions[Self.key(token)].map { $0 > time } ?? false }
    }

    /// Adds `key` to `entries` after dropping the expired ones and, when full, the one that expires first.
    private static func admit(_ key: String, until: Date, into entries: inout [String: Date], capacity: Int, now: Date) {
        entries = entries.filter { $0.value > now }
        if entries.count >= capacity, let first = entries.min(by: { $0.value < $1.value }) {
            entries.removeValue(forKey: first.key)
        }
        entries[key] = until
    }

    private static func key(_ secret: some StringProtocol) -> String {
        SHA256.hex(SHA256.hash(Array(secret.utf8)))
    }
}
