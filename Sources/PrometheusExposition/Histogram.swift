/// A Prometheus histogram's state: observations per bucket, their sum and count.
public struct Histogram: Sendable {
    /// Upper bounds (inclusive), ascending; `+Inf` is implicit.
    public let bounds: [Double]
    /// Observations per bucket, not cumulative; the last entry is the `+Inf` bucket.
    public private(set) var counts: [UInt64]
    /// The sum of every observation.
    public private(set) var sum = 0.0
    /// How many observations there were.
    public private(set) var count: UInt64 = 0

    /// An empty histogram with these bucket bounds.
    public init(bounds: [Double]) {
        precondition(zip(bounds, bounds.dropFirst()).allSatisfy { $0 < $1 }, "bucket bounds must ascend")
        self.bounds = bounds
        counts = Array(repeating: 0, count: bounds.count + 1)
    }

    /// Records one observation; NaN is ignored and negative values count as 0.
    public mutating func observe(_ value: Double) {
        guard !value.isNaN else { return }
        let value = max(0, value)
        let bucket = bounds.firstIndex { value <= $0 } ?? bounds.count
        counts[bucket] += 1
        sum += value
        count += 1
    }

    /// `(le, cumulative count)` for every bucket, ending with `+Inf`.
    public var cumulativeBuckets: [(le: String, count: UInt64)] {
        var running: UInt64 = 0
        var buckets: [(le: String, count: UInt64)] = []
        for (index, observations) in counts.enumerated() {
            running += observations
            let le = index < bounds.count ? ExpositionWriter.number(bounds[index]) : "+Inf"
            buckets.append((le, running))
        }
        return buckets
    }
}
