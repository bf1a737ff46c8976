import TackCore

extension PrometheusMetricsSource {
    /// Reads `metric` for `selector`'s track; nil when there is no track to read.
    func readIfAny(_ metric: Metric, of selector: TrackSelector?, in target: AnalysisTarget, at time: Double) async -> TrackReading? {
        guard let selector else { return nil }
        return await read(metric, of: selector, in: target, at: time)
    }

    /// Reads `metric` for one track: its traffic, for built-in metrics, and its value.
    func read(_ metric: Metric, of selector: TrackSelector, in target: AnalysisTarget, at time: Double) async -> TrackReading {
        let window = PromQL.duration(target.window)
        let who = ValueText.track(selector.track)
        guard let promql = PromQL.query(metric, selector, window: window, definitions: target.metrics) else {
            return .error("the custom metric \(metric) has no query")
        }
        let isRequestBased = metric.builtInUnit != nil
        async let trafficResult = isRequestBased ? attempt(PromQL.requests(selector, window: window), at: time) : nil
        async let valueResult = attempt(promql, at: time)
        let (traffic, reply) = await (trafficResult, valueResult)

        var requests: Double?
        switch traffic {
        case .failure(let error)?: return .error("query failed: \(error)")
        case .success(let result)?:
            switch ResultShape(result) {
            case .noSeries: requests = 0
            case .number(let count): requests = count.isNaN ? 0 : count
            case .severalSeries, .notANumber: return .error("the request count of \(who) is not one number")
            }
        case nil: break
        }
        let value: QueryResult
        switch reply {
        case .failure(let error): return .error("query failed: \(error)")
        case .success(let result): value = result
        }
        // No traffic is never judged, even with minRequests 0.
        if let requests, requests == 0 || requests < Double(target.minRequests) {
            let span = "\(ValueText.requests(requests)) in \(window)"
            return .inconclusive(requests < 0.5 ? "no data: \(who) received \(span)"
                : "too little traffic: \(who) received \(span), fewer than minRequests \(target.minRequests)", requests: requests)
        }
        switch ResultShape(value) {
        case .number(let number) where number.isNaN:
            return .inconclusive("no data: \(metric) is NaN for \(who)", requests: requests)
        case .number(let number):
            return .value(number, requests: requests)
        case .noSeries where metric == .errorRate && requests != nil:
            // Traffic without any 5xx series: `sum` of nothing is empty, and so is the division.
            return .value(0, requests: requests)
        case .noSeries:
            return .inconclusive("no data: \(metric) returned no series for \(who)", requests: requests)
        case .severalSeries(let series):
            let shown = series.prefix(2).map(ValueText.labels).joined(separator: ", ") + (series.count > 2 ? ", …" : "")
            return .error("\(metric) returned \(series.count) series for \(who) (\(shown)); its query must return one, e.g. with sum or max")
        case .notANumber(let kind):
            return .error("\(metric) returned \(kind) for \(who), not a number")
        }
    }

    /// The query's result, or its error as a value.
    private func attempt(_ promql: String, at time: Double) async -> Result<QueryResult, PrometheusError> {
        do {
            return .success(try await client.query(promql, at: time))
        } catch {
            return .failure(error)
        }
    }
}
