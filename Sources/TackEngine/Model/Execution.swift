import Foundation

/// One rollout of one pipeline revision across its accounts, as the store keeps it.
public struct Execution: Sendable, Hashable, Codable {
    /// The store's id (0 before it is stored).
    public var id: Int64
    /// The application.
    public var app: String
    /// The revision rolled out.
    public var revision: Int
    /// Where the execution stands.
    public var phase: ExecutionPhase
    /// The index of the pipeline stage being run (the stage count once all have run).
    public var stage: Int
    /// When the current stage started.
    public var stageStartedAt: Date?
    /// One entry per cluster of every deploy stage, in pipeline order.
    public var accounts: [AccountRollout]
    /// Why the execution waits for a judgment, while it is paused.
    public var pauseReason: String?
    /// A judgment asked for and not yet applied.
    public var judgment: Judgment?
    /// The condition that started a rollback or a pause, when analysis did.
    public var cause: RollbackCause?
    /// The phase a rollback ends in: rolledBack, aborted or failed.
    public var rollbackEnding: ExecutionPhase?
    /// The last reason given for a phase change, for people.
    public var message: String?
    /// When it was created.
    public var createdAt: Date
    /// When it last changed.
    public var updatedAt: Date

    /// A pending execution of `revision` with the given accounts.
    public init(id: Int64 = 0, app: String, revision: Int, accounts: [AccountRollout], createdAt: Date) {
        self.id = id
        self.app = app
        self.revision = revision
        self.phase = .pending
        self.stage = 0
        self.stageStartedAt = nil
        self.accounts = accounts
        self.pauseReason = nil
        self.judgment = nil
        self.cause = nil
        self.rollbackEnding = nil
        self.message = nil
        self.createdAt = createdAt
        self.updatedAt = createdAt
    }

    /// The index of the rollout of `account` in deploy stage `stage`.
    public func accountIndex(_ account: String, stage: Int) -> Int? {
        accounts.firstIndex { $0.account == account && $0.stage == stage }
    }
}
