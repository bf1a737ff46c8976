import Foundation

/// One entry of an execution's history: what changed, where and why.
public struct EngineEvent: Sendable, Hashable, Codable {
    /// What kind of change it was.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// The execution was created by applying a revision.
        case created
        /// An account started a step.
        case stepStarted
        /// An account finished a step.
        case stepCompleted
        /// The execution's phase changed.
        case phaseChanged
        /// An analysis ended (successful, failed, inconclusive or error).
        case analysisEnded
        /// A rollback began; the message says why.
        case rollbackStarted
        /// A person's judgment was applied.
        case judgment
        /// A driver call failed; it is retried.
        case driverError
        /// A stage started.
        case stageStarted
    }

    /// The store's sequence number (0 before it is stored); increases in the order events happen.
    public var sequence: Int64
    /// The execution.
    public var executionID: Int64
    /// When it happened.
    public var time: Date
    /// The account, when the event concerns one.
    public var account: String?
    /// What kind of change it was.
    public var kind: Kind
    /// One line for people.
    public var message: String

    /// An event not yet stored.
    public init(executionID: Int64, time: Date, account: String? = nil, kind: Kind, message: String, sequence: Int64 = 0) {
        self.sequence = sequence
        self.executionID = executionID
        self.time = time
        self.account = account
        self.kind = kind
        self.message = message
    }
}
