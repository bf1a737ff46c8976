import TackCore

/// One call the engine makes to an account's `ClusterDriver`; each is idempotent.
public enum DriverAction: Sendable, Hashable, CustomStringConvertible {
    /// Run a track as specified.
    case apply(TrackSpec)
    /// Set a track's replica count.
    case scale(app: String, track: Track, replicas: Int)
    /// Remove a track.
    case delete(app: String, track: Track)
    /// Route the application's traffic.
    case setTraffic(app: String, TrafficSplit)
    /// Let one track's replicas take over another's role.
    case replace(app: String, track: Track, with: Track)

    /// `apply canary lora-train:v2@sha256:… ×1`, for events and logs.
    public var description: String {
        switch self {
        case .apply(let spec): "apply \(spec.track.rawValue) \(spec.image) ×\(spec.replicas)"
        case .scale(_, let track, let replicas): "scale \(track.rawValue) to \(replicas)"
        case .delete(_, let track): "delete \(track.rawValue)"
        case .setTraffic(_, let split): "set traffic \(split)"
        case .replace(_, let track, let source): "replace \(track.rawValue) with \(source.rawValue)"
        }
    }

    /// Performs the action with `driver`.
    public func perform(on driver: any ClusterDriver) async throws {
        switch self {
        case .apply(let spec): try await driver.apply(spec)
        case .scale(let app, let track, let replicas): try await driver.scale(app: app, track: track, replicas: replicas)
        case .delete(let app, let track): try await driver.delete(app: app, track: track)
        case .setTraffic(let app, let split): try await driver.setTraffic(app: app, split)
        case .replace(let app, let track, let source): try await driver.replace(app: app, track, with: source)
        }
    }
}
