import Foundation
import TackCore
import TackPipeline

/// A stored revision decoded again: the pipeline and accounts the engine acts on, with the
/// questions the deciders ask of them.
public struct RevisionPlan: Sendable {
    /// The revision as applied.
    public let revision: PipelineRevision
    /// Its pipeline.
    public let pipeline: Pipeline
    /// Its accounts file.
    public let accounts: AccountsFile

    /// A plan from already decoded files.
    public init(revision: PipelineRevision, pipeline: Pipeline, accounts: AccountsFile) {
        self.revision = revision
        self.pipeline = pipeline
        self.accounts = accounts
    }

    /// Decodes the revision's files as they were applied.
    public static func decode(_ revision: PipelineRevision) throws(EngineError) -> RevisionPlan {
        let accountsFile = TackFile.parse(Array(revision.accountsText.utf8), path: revision.accountsPath)
        let (accounts, accountProblems) = accountsFile.decodeAccounts()
        let pipelineFile = TackFile.parse(Array(revision.pipelineText.utf8), path: revision.pipelinePath)
        let (pipeline, pipelineProblems) = pipelineFile.decodePipeline(accounts: accounts, accountsPath: revision.accountsPath)
        guard let accounts, let pipeline else {
            let problems = (accountProblems + pipelineProblems).filter { $0.severity == .error }.map { "\($0.mark): \($0.message)" }
            throw .invalidRevision(app: revision.app, revision: revision.number, problems: problems)
        }
        return RevisionPlan(revision: revision, pipeline: pipeline, accounts: accounts)
    }

    /// The application.
    public var app: String { pipeline.application }

    /// A pending rollout for every cluster of every deploy stage, in pipeline order.
    public func accountRollouts() -> [AccountRollout] {
        pipeline.stages.enumerated().flatMap { index, stage -> [AccountRollout] in
            guard case .deploy(let deploy) = stage.kind else { return [] }
            return deploy.clusters.map { AccountRollout(account: $0.account, stage: index) }
        }
    }

    /// The cluster of `rollout`'s account in its deploy stage.
    public func cluster(of rollout: AccountRollout) -> ClusterDeployment? {
        guard rollout.stage < pipeline.stages.count, case .deploy(let deploy) = pipeline.stages[rollout.stage].kind else { return nil }
        return deploy.clusters.first { $0.account == rollout.account }
    }

    /// Whether the monitor stage watches `account` (its scope is one of the monitor's).
    public func isWatched(_ account: String) -> Bool {
        guard let monitor = pipeline.monitor, let scope = accounts.account(named: account)?.scope else { return false }
        return monitor.scopes.contains(scope)
    }

    /// Whether `account` splits a canary's traffic by the ratio of ready replicas (Kubernetes with
    /// `traffic: replicas`) rather than by weights: there, a weight is a replica count per track.
    public func splitsByReplicas(account: String) -> Bool {
        guard case .kubernetes(let kubernetes)? = accounts.account(named: account)?.kind else { return false }
        return kubernetes.traffic == .replicas
    }

    /// The conditions that fail the new version: the rollback stage's.
    public var conditions: [Condition] { pipeline.rollback?.conditions ?? [] }

    /// Whether a failed condition rolls back by itself (`trigger: automatic`) rather than pausing.
    public var rollsBackAutomatically: Bool { pipeline.rollback?.trigger != .manual }

    /// The unit of the metric named `name` (`errorRate`, `latency.p95`, a custom one); nil when
    /// the pipeline does not know it.
    public func unit(of name: String) -> MetricUnit? {
        if let metric = Metric.builtIn(named: name) { return metric.builtInUnit }
        return pipeline.monitor?.metrics.first { $0.metric == .custom(name) }?.unit
    }
}
