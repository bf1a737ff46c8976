import Foundation

/// How long a crashed replica waits before it is started again: doubling from `initial` up to
/// `maximum`, as the kubelet's CrashLoopBackOff does (10 s to 5 min there; shorter here by
/// default, since a local rollout is watched by a person). A replica that ran for `resetAfter`
/// before it ended starts over at `initial`.
public struct RestartBackoff: Sendable, Hashable, Codable {
    /// The first delay.
    public var initial: Duration
    /// The longest delay.
    public var maximum: Duration
    /// A run at least this long resets the delay to `initial`.
    public var resetAfter: Duration

    /// A backoff policy.
    public init(initial: Duration = .seconds(1), maximum: Duration = .seconds(60), resetAfter: Duration = .seconds(120)) {
        self.initial = initial
        self.maximum = maximum
        self.resetAfter = resetAfter
    }

    /// The delay before the next start, given the restarts so far (`consecutive` crashes in a row).
    public func delay(afterConsecutiveCrashes consecutive: Int) -> Duration {
        var delay = initial
        for _ in 0..<max(consecutive - 1, 0) where delay < maximum { delay = delay * 2 }
        return min(delay, maximum)
    }
}
