import TackCore

/// A validated pipeline: what to roll out where, how to watch it and when to roll back.
public struct Pipeline: Sendable, Hashable {
    /// The application name; it names the objects Tack creates in every account.
    public var application: String
    /// A free-text description.
    public var description: String?
    /// The stages in written order.
    public var stages: [Stage]

    /// A pipeline.
    public init(application: String, description: String? = nil, stages: [Stage]) {
        self.application = application
        self.description = description
        self.stages = stages
    }

    /// The monitor stage, when there is one.
    public var monitor: MonitorStage? {
        stages.lazy.compactMap { if case .monitor(let m) = $0.kind { m } else { nil } }.first
    }

    /// The rollback stage, when there is one.
    public var rollback: RollbackStage? {
        stages.lazy.compactMap { if case .rollback(let r) = $0.kind { r } else { nil } }.first
    }

    /// Every cluster of every deploy stage, in order.
    public var clusters: [ClusterDeployment] {
        stages.flatMap { stage -> [ClusterDeployment] in
            if case .deploy(let deploy) = stage.kind { deploy.clusters } else { [] }
        }
    }
}

/// One stage of a pipeline.
public struct Stage: Sendable, Hashable {
    /// What the stage does.
    public enum Kind: Sendable, Hashable {
        case deploy(DeployStage)
        case monitor(MonitorStage)
        case rollback(RollbackStage)
        case manualJudgment(ManualJudgmentStage)
    }

    /// An optional display name.
    public var name: String?
    /// What the stage does.
    public var kind: Kind

    /// A stage.
    public init(name: String? = nil, kind: Kind) {
        self.name = name
        self.kind = kind
    }

    /// The `type` the stage is written with.
    public var type: String {
        switch kind {
        case .deploy: "deploy"
        case .monitor: "monitor"
        case .rollback: "rollback"
        case .manualJudgment: "manualJudgment"
        }
    }
}

/// Rolls the new version out to each cluster with its strategy.
public struct DeployStage: Sendable, Hashable {
    /// The clusters, one per account.
    public var clusters: [ClusterDeployment]

    /// A deploy stage.
    public init(clusters: [ClusterDeployment]) {
        self.clusters = clusters
    }
}

/// The new version of the application in one account.
public struct ClusterDeployment: Sendable, Hashable {
    /// The account's name in the accounts file.
    public var account: String
    /// The image to run.
    public var image: ImageRef
    /// Replicas serving once rolled out.
    public var targetSize: Int
    /// How the new version replaces the old one.
    public var strategy: Strategy

    /// A cluster deployment.
    public init(account: String, image: ImageRef, targetSize: Int, strategy: Strategy) {
        self.account = account
        self.image = image
        self.targetSize = targetSize
        self.strategy = strategy
    }
}

/// A rollout strategy with its options.
public enum Strategy: Sendable, Hashable {
    case canary(CanaryOptions)
    case blueGreen(BlueGreenOptions)

    /// The name the strategy is written with.
    public var name: String {
        switch self {
        case .canary: "canary"
        case .blueGreen: "bluegreen"
        }
    }

    /// The track whose metrics judge the new version under this strategy.
    public var judgedTrack: Track {
        switch self {
        case .canary: .canary
        case .blueGreen: .preview
        }
    }
}
