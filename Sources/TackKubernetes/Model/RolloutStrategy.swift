import TackCore

/// How an application's versions take over: a canary beside stable, or two colors switched at once.
enum RolloutStrategy: Sendable, Hashable {
    /// Tracks `stable` and `canary`.
    case canary
    /// Tracks `active` and `preview`.
    case blueGreen

    /// The strategy a track belongs to.
    init(_ track: Track) {
        switch track {
        case .stable, .canary: self = .canary
        case .active, .preview: self = .blueGreen
        }
    }
}
