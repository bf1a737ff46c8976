import TackCore
import TackYAML

extension PipelineDecoder {
    func decodeMonitor(_ map: YAMLMapping) -> MonitorStage? {
        let metricsAccount = map.required("metricsAccount").flatMap { node -> String? in
            guard let name = reader.string(node, what: "metricsAccount") else { return nil }
            if let accounts, accounts.metricsAccount(named: name) == nil {
                log.error(missingReference("metrics account", name, known: accounts.metricsAccounts.map(\.name)), at: node.mark)
                return nil
            }
            return name
        }
        var scopes: [String] = []
        if let node = map["scopes"], let items = reader.sequence(node, what: "scopes") {
            if items.isEmpty {
                log.error("scopes is empty; leave it out to watch every account the pipeline deploys to", at: node.mark)
            }
            for item in items {
                guard let scope = reader.string(item, what: "scope") else { continue }
                scopes.append(scope)
                scopeNodes.append(item)
            }
        }
        let interval = map["interval"].map { minimumSecond(reader.duration($0, what: "interval"), $0, what: "interval") }
        let window = map["window"].map { minimumSecond(reader.duration($0, what: "window"), $0, what: "window") }
        let metrics = map["metrics"].flatMap(decodeMetrics) ?? []
        var limits: [String: Int] = [:]
        for key in Self.limitKeys {
            guard let node = map[key] else { continue }
            limits[key] = reader.integer(node, what: key, in: 0...1000) ?? -1
        }
        guard let metricsAccount, interval != .some(nil), window != .some(nil), !limits.values.contains(-1) else { return nil }
        var monitor = MonitorStage(metricsAccount: metricsAccount, scopes: scopes,
                                   interval: (interval ?? nil) ?? MonitorStage.defaultInterval,
                                   window: (window ?? nil) ?? MonitorStage.defaultWindow,
                                   metrics: metrics)
        monitor.failureLimit = limits["failureLimit"] ?? monitor.failureLimit
        monitor.inconclusiveLimit = limits["inconclusiveLimit"] ?? monitor.inconclusiveLimit
        monitor.consecutiveErrorLimit = limits["consecutiveErrorLimit"] ?? monitor.consecutiveErrorLimit
        monitor.minRequests = limits["minRequests"] ?? monitor.minRequests
        return monitor
    }

    private func decodeMetrics(_ node: YAMLNode) -> [MetricDefinition]? {
        guard let items = reader.sequence(node, what: "metrics") else { return nil }
        var seen: [String: Mark] = [:]
        var definitions: [MetricDefinition] = []
        for item in items {
            guard let definition = decodeMetric(item) else { continue }
            let name = definition.metric.description
            if let first = seen[name] {
                log.error("metric \(name.quoted) is listed twice (first at line \(first.line))", at: item.mark)
                continue
            }
            seen[name] = item.mark
            definitions.append(definition)
        }
        return definitions
    }

    private func decodeMetric(_ node: YAMLNode) -> MetricDefinition? {
        if node.scalar != nil {
            guard let name = reader.string(node, what: "metric") else { return nil }
            guard let metric = Metric.builtIn(named: name) else {
                let quantiles = LatencyQuantile.allCases.map { "latency.\($0.rawValue)" }.joined(separator: ", ")
                log.error("\(name.quoted) is not a built-in metric (errorRate, latency, \(quantiles)); a custom metric is a mapping with name and query",
                          at: node.mark)
                return nil
            }
            return MetricDefinition(metric: metric, unit: metric.builtInUnit!)
        }
        guard let map = reader.mapping(node, what: "a metric", keys: ["name", "query", "unit"]) else { return nil }
        let name = map.required("name").flatMap(decodeCustomMetricName)
        let query = map.required("query").flatMap(decodeQuery)
        let unit = map["unit"].map {
            reader.choice($0, what: "unit", from: MetricUnit.allCases.map(\.rawValue)).flatMap(MetricUnit.init(rawValue:))
        } ?? .number
        // Known even when its query is wrong, so conditions naming it are not reported as well.
        if let name, let unit { customMetrics[name] = unit }
        guard let name, let query, let unit else { return nil }
        return MetricDefinition(metric: .custom(name), query: query, unit: unit)
    }

    private func decodeCustomMetricName(_ node: YAMLNode) -> String? {
        guard let name = reader.string(node, what: "metric name") else { return nil }
        if Metric.builtInNames.contains(name) {
            log.error("\(name) is a built-in metric; list it as - \(name), or give a custom metric another name", at: node.mark)
            return nil
        }
        let valid = name.first!.isASCII && name.first!.isLetter
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        guard valid else {
            log.error("metric name \(name.quoted) must start with a letter and hold only letters, digits and _", at: node.mark)
            return nil
        }
        return name
    }

    /// The query when its `{{...}}` placeholders are all known.
    private func decodeQuery(_ node: YAMLNode) -> String? {
        guard let query = reader.string(node, what: "query") else { return nil }
        let (placeholders, unclosedAt) = PromQL.placeholders(in: query)
        var valid = true
        for placeholder in placeholders where !PromQL.placeholderNames.contains(placeholder.name) {
            log.error("unknown placeholder {{\(placeholder.name)}}; allowed: \(PromQL.placeholderNames.map { "{{\($0)}}" }.joined(separator: ", "))",
                      at: node.mark(atOffset: placeholder.range.lowerBound))
            valid = false
        }
        if let unclosedAt {
            log.error("\"{{\" is not closed by \"}}\" in the query", at: node.mark(atOffset: unclosedAt))
            valid = false
        }
        return valid ? query : nil
    }

    /// The scopes of the accounts deployed to, each once, in deploy order.
    private func deployedScopes(in accounts: AccountsFile) -> [String] {
        deployedNodes.compactMap { accounts.account(named: $0.name)?.scope }
            .reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    }

    /// Reports monitor scopes that match no deployed account, and deployed accounts no scope watches.
    func checkScopes(_ stages: [Stage]) {
        guard let accounts else { return }
        let uniqueScopes = deployedScopes(in: accounts)
        // With an account unresolved or nothing deployed, the deployed scopes are unknown, and
        // the error that says why is reported already.
        for node in scopeNodes where !accountsUnresolved && !uniqueScopes.isEmpty {
            guard let scope = node.scalar?.value, !uniqueScopes.contains(scope) else { continue }
            var message = "scope \(scope.quoted) matches no account this pipeline deploys to; deployed scopes: \(uniqueScopes.listed())"
            if let suggestion = Suggestion.closest(to: scope, in: uniqueScopes) {
                message += " (did you mean \"\(suggestion)\"?)"
            }
            log.error(message, at: node.mark)
        }
        let hasMonitor = stages.contains { if case .monitor = $0.kind { true } else { false } }
        let watched = Set(scopeNodes.compactMap { $0.scalar?.value })
        guard hasMonitor, !watched.isEmpty else { return }
        for (name, node) in deployedNodes {
            guard let scope = accounts.account(named: name)?.scope, !watched.contains(scope) else { continue }
            log.warning("account \"\(name)\" (scope \(scope)) is outside the monitor's scopes: its metrics are not watched and cannot trigger a rollback",
                        at: node.mark)
        }
    }

    /// The stages with a monitor's unwritten scopes set to every deployed account's scope.
    func fillDefaultScopes(_ stages: [Stage]) -> [Stage] {
        guard let accounts else { return stages }
        let scopes = deployedScopes(in: accounts)
        return stages.map { stage in
            guard case .monitor(var monitor) = stage.kind, monitor.scopes.isEmpty else { return stage }
            monitor.scopes = scopes
            return Stage(name: stage.name, kind: .monitor(monitor))
        }
    }
}
