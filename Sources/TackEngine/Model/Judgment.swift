/// A person's decision on a running execution.
public enum Judgment: String, Sendable, Hashable, Codable, CaseIterable {
    /// Go on: past a pause, a manual judgment stage, or an analysis that paused the rollout.
    case promote
    /// Stop and return every account to the version it ran before.
    case abort
}
