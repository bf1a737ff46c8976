/// The `data` of a Prometheus query API response.
public enum QueryResult: Sendable, Hashable {
    /// An instant vector: one sample per series.
    case vector([Sample])
    /// A single number.
    case scalar(Double)
    /// A range vector: many samples per series.
    case matrix([Series])
    /// A string.
    case string(String)
}

/// One series' sample of an instant vector.
public struct Sample: Sendable, Hashable {
    /// The series' labels.
    public var labels: [String: String]
    /// Seconds since the epoch.
    public var timestamp: Double
    /// The value; may be NaN or infinite.
    public var value: Double

    /// A sample.
    public init(labels: [String: String], timestamp: Double, value: Double) {
        self.labels = labels
        self.timestamp = timestamp
        self.value = value
    }
}

/// One series of a range vector.
public struct Series: Sendable, Hashable {
    /// The series' labels.
    public var labels: [String: String]
    /// (timestamp, value) pairs in time order.
    public var points: [Point]

    /// A series.
    public init(labels: [String: String], points: [Point]) {
        self.labels = labels
        self.points = points
    }
}

/// A point of a range vector.
public struct Point: Sendable, Hashable {
    /// Seconds since the epoch.
    public var timestamp: Double
    /// The value; may be NaN or infinite.
    public var value: Double

    /// A point.
    public init(timestamp: Double, value: Double) {
        self.timestamp = timestamp
        self.value = value
    }
}
