/// The share of an application's traffic each track receives, in percent (0...100 each).
public struct TrafficSplit: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The weight of each track; a track not listed gets 0.
    public private(set) var weights: [Track: Int]

    /// A split; weights are clamped to 0...100.
    public init(_ weights: [Track: Int]) {
        self.weights = weights.mapValues { min(max($0, 0), 100) }.filter { $0.value > 0 }
    }

    /// All traffic to one track.
    public static func all(to track: Track) -> TrafficSplit { TrafficSplit([track: 100]) }

    /// A canary split: `canary` percent to the canary, the rest to stable.
    public static func canary(_ canary: Int) -> TrafficSplit {
        TrafficSplit([.stable: 100 - min(max(canary, 0), 100), .canary: canary])
    }

    /// The weight of `track` (0 when not listed).
    public subscript(track: Track) -> Int { weights[track] ?? 0 }

    /// `stable=80 canary=20`, tracks in their declared order.
    public var description: String {
        let listed = Track.allCases.filter { self[$0] > 0 }.map { "\($0.rawValue)=\(self[$0])" }
        return listed.isEmpty ? "none" : listed.joined(separator: " ")
    }
}
