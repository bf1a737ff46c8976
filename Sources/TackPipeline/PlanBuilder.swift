import TackCore

/// Builds the plan of a validated pipeline: a pure function of the pipeline and its accounts.
public struct PlanBuilder {
    let pipeline: Pipeline
    let accounts: AccountsFile
    let accountsPath: String

    /// A builder for a pipeline checked against `accounts`.
    public init(pipeline: Pipeline, accounts: AccountsFile, accountsPath: String) {
        self.pipeline = pipeline
        self.accounts = accounts
        self.accountsPath = accountsPath
    }

    /// The plan.
    public func build() -> Plan {
        let stages = pipeline.stages.enumerated().map { stage(number: $0.offset + 1, $0.element) }
        let notes = [
            "An account that runs no version of \(pipeline.application) yet gets the new version as its stable version at once, without canary or preview.",
            "Images are pinned by digest when the rollout starts, so every account runs the same bytes.",
        ]
        return Plan(application: pipeline.application, accountsFile: accountsPath, stages: stages, notes: notes)
    }

    private func stage(number: Int, _ stage: Stage) -> PlanStage {
        var plan = PlanStage(number: number, type: stage.type, name: stage.name, summary: "")
        switch stage.kind {
        case .deploy(let deploy):
            plan.summary = "deploy to \(deploy.clusters.map(\.account).joined(separator: ", ")), all at once"
            plan.accounts = deploy.clusters.map(account)
        case .monitor(let monitor):
            plan.summary = "query \(metricsAccountText(monitor.metricsAccount)) every \(DurationText.format(monitor.interval)) "
                + "over a \(DurationText.format(monitor.window)) window, for the whole rollout, in "
                + (watchedClusters.isEmpty ? "no account" : watchedClusters.map(\.account).joined(separator: ", "))
            let traffic = monitor.minRequests <= 1 ? "no requests" : "fewer than \(monitor.minRequests) requests"
            plan.summary += "; a track with \(traffic) in the window is not judged"
                + "; the \(Self.ordinal(monitor.failureLimit + 1)) failed measurement fails the analysis"
                + ", the \(Self.ordinal(monitor.inconclusiveLimit + 1)) inconclusive one pauses it"
                + ", the \(Self.ordinal(monitor.consecutiveErrorLimit + 1)) query error in a row ends it in Error"
            plan.metrics = monitor.metrics.map { metric(text: $0.metric.description, $0.metric, unit: $0.unit) }
        case .rollback(let rollback):
            plan.summary = rollback.trigger == .automatic
                ? "when any condition holds in any watched account, roll back every account at once: canary weight to 0, then the canary removed; blue-green switched back to the old color"
                : "when any condition holds in any watched account, pause every account and wait for tack rollback or tack promote"
            plan.conditions = rollback.conditions.map { metric(text: $0.text, $0.metric, unit: unit(of: $0.metric)) }
        case .manualJudgment(let judgment):
            var summary = "wait for tack promote \(pipeline.application) before the next stage"
            if let timeout = judgment.timeout {
                summary += "; after \(DurationText.format(timeout)) without one: \(judgment.onTimeout == .rollback ? "roll back" : "continue")"
            }
            if let instructions = judgment.instructions { summary += " (\(instructions))" }
            plan.summary = summary
        }
        return plan
    }

    private func account(_ cluster: ClusterDeployment) -> PlanAccount {
        let account = accounts.account(named: cluster.account)!
        let routing = TrafficRouting(account.kind)
        var steps: [PlanStep] = []
        switch cluster.strategy {
        case .canary(let options):
            steps = CanaryPlan(cluster: cluster, routing: routing, app: pipeline.application, analysis: analysisText).steps(options)
        case .blueGreen(let options):
            steps = BlueGreenPlan(cluster: cluster, routing: routing, app: pipeline.application)
                .steps(options, preAnalysis: isWatched(cluster) ? analysisText(nil) : nil)
        }
        let namespace: String? = if case .kubernetes(let k) = account.kind { k.namespace } else { nil }
        return PlanAccount(
            account: account.name, kind: account.kind.name, scope: account.scope, namespace: namespace,
            traffic: routing.rawValue, strategy: cluster.strategy.name, image: cluster.image.description,
            version: cluster.image.version, targetSize: cluster.targetSize, watched: isWatched(cluster),
            objects: routing.objects(app: pipeline.application, strategy: cluster.strategy),
            steps: steps.enumerated().map { var step = $0.element; step.number = $0.offset + 1; return step })
    }

    /// "4 measurements every 15s of errorRate > 5%, latency > 2s; a failure rolls back".
    private func analysisText(_ step: AnalysisStep?) -> String {
        let interval = step?.interval ?? pipeline.monitor?.interval ?? MonitorStage.defaultInterval
        let count = step?.count ?? AnalysisStep.defaultCount
        let conditions = step.flatMap { $0.conditions.isEmpty ? nil : $0.conditions } ?? pipeline.rollback?.conditions ?? []
        let outcome = pipeline.rollback?.trigger == .manual ? "a failure pauses for a judgment" : "a failure rolls back"
        let text = conditions.map(\.text).joined(separator: ", ")
        return "\(count) measurement\(count == 1 ? "" : "s") every \(DurationText.format(interval)) of \(text.isEmpty ? "no condition" : text); \(outcome)"
    }

    /// "1st", "2nd", "3rd", "4th", … for counts in the plan's sentences.
    static func ordinal(_ n: Int) -> String {
        let suffix = (11...13).contains(n % 100) ? "th" : [1: "st", 2: "nd", 3: "rd"][n % 10] ?? "th"
        return "\(n)\(suffix)"
    }

    private var watchedClusters: [ClusterDeployment] {
        pipeline.clusters.filter(isWatched)
    }

    private func isWatched(_ cluster: ClusterDeployment) -> Bool {
        guard let monitor = pipeline.monitor, let scope = accounts.account(named: cluster.account)?.scope else { return false }
        return monitor.scopes.contains(scope)
    }

    private func metricsAccountText(_ name: String) -> String {
        switch accounts.metricsAccount(named: name)?.source {
        case .url(let url): "\(name) (\(url))"
        case .local: "\(name) (the embedded Prometheus)"
        case nil: name
        }
    }

    private func unit(of metric: Metric) -> MetricUnit {
        metric.builtInUnit ?? pipeline.monitor?.metrics.first { $0.metric == metric }?.unit ?? .number
    }

    private func metric(text: String, _ metric: Metric, unit: MetricUnit) -> PlanMetric {
        // The window as the analysis writes it, so the plan shows the very queries that run.
        let window = PromQL.duration(pipeline.monitor?.window ?? MonitorStage.defaultWindow)
        let definitions = pipeline.monitor?.metrics ?? []
        let queries = watchedClusters.map { cluster in
            let selector = TrackSelector(app: pipeline.application, account: cluster.account,
                                         track: cluster.strategy.judgedTrack, version: cluster.image.version)
            // Every custom metric a valid pipeline names has a query.
            return PlanQuery(account: cluster.account,
                             promql: PromQL.query(metric, selector, window: window, definitions: definitions) ?? "")
        }
        return PlanMetric(text: text, metric: metric.description, unit: unit.rawValue, queries: queries)
    }
}
