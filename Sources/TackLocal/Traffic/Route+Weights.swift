import TackCore

extension Route {
    /// Each ready replica that gets traffic with its integer weight: a track's share is split
    /// evenly over its ready replicas, scaled by the least common multiple of the replica counts
    /// so that the proportions stay exact, then reduced by the greatest common divisor. A track
    /// with weight 0 or no ready replica is left out (its share goes to the others in proportion);
    /// an empty result means no replica can take traffic. Ordered by track, then port.
    public var replicaWeights: [(backend: Backend, weight: Int)] {
        let ready = backends.filter { $0.isReady && split[$0.track] > 0 }
            .sorted { ($0.track.order, $0.port, $0.version) < ($1.track.order, $1.port, $1.version) }
        guard !ready.isEmpty else { return [] }
        let counts = Dictionary(grouping: ready, by: \.track).mapValues(\.count)
        let scale = counts.values.reduce(1) { lcm($0, $1) }
        let raw = ready.map { split[$0.track] * scale / counts[$0.track]! }
        let divisor = raw.reduce(0) { gcd($0, $1) }
        return zip(ready, raw).map { ($0, $1 / divisor) }
    }

    /// Each ready `preview` replica with weight 1, for the preview listener, whatever the split
    /// says; empty when none is ready. Ordered by port.
    public var previewWeights: [(backend: Backend, weight: Int)] {
        backends.filter { $0.isReady && $0.track == .preview }
            .sorted { ($0.port, $0.version) < ($1.port, $1.version) }
            .map { ($0, 1) }
    }
}

extension Track {
    /// The track's position in the declared order, for stable sorting.
    fileprivate var order: Int { Track.allCases.firstIndex(of: self)! }
}

private func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
private func lcm(_ a: Int, _ b: Int) -> Int { a / gcd(a, b) * b }
