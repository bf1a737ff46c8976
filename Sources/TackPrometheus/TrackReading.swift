/// What one track's queries said, before it is compared with a limit.
enum TrackReading: Sendable {
    /// A number (never NaN), and the requests counted when the metric is request-based.
    case value(Double, requests: Double?)
    /// Nothing to judge: no traffic, no series, NaN.
    case inconclusive(String, requests: Double?)
    /// A query failed or returned what cannot be judged.
    case error(String)
}

/// The shape of a query result, as far as judging a condition is concerned.
enum ResultShape: Equatable {
    /// One number: a single-series vector or a scalar (may be NaN or infinite).
    case number(Double)
    /// An empty vector.
    case noSeries
    /// A vector of several series, with their labels.
    case severalSeries([[String: String]])
    /// A matrix or a string.
    case notANumber(String)

    init(_ result: QueryResult) {
        switch result {
        case .vector(let samples) where samples.isEmpty: self = .noSeries
        case .vector(let samples) where samples.count == 1: self = .number(samples[0].value)
        case .vector(let samples): self = .severalSeries(samples.map(\.labels))
        case .scalar(let value): self = .number(value)
        case .matrix: self = .notANumber("a range vector")
        case .string: self = .notANumber("a string")
        }
    }
}
