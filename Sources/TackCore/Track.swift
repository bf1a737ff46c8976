/// The role a set of replicas plays in a rollout; also the `track` label on its metrics.
public enum Track: String, Sendable, Hashable, Codable, CodingKeyRepresentable, CaseIterable {
    /// The version serving before a canary rollout, and after it is promoted.
    case stable
    /// The new version receiving a share of traffic during a canary rollout.
    case canary
    /// The blue-green color receiving live traffic.
    case active
    /// The blue-green color running the new version before it is switched live.
    case preview
}
