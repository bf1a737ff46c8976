import Foundation
import TackCore

/// What one reconcile pass saw before deciding: each account's workload, the images resolved, the
/// analyses' states, and the time.
public struct Observation: Sendable {
    /// The time of the pass.
    public var now: Date
    /// Each account's status, or why it could not be read; accounts not asked are absent.
    public var statuses: [String: AccountObservation]
    /// New images pinned by digest, for accounts whose rollout has none yet.
    public var resolved: [String: ImageRef]
    /// Each analysis' state, by `AnalysisSpec` account and name (`key(account:name:)`).
    public var analyses: [String: AnalysisState]
    /// An older execution of the same application that must end first (it is rolling back).
    public var blockedBy: Int64?

    /// An observation.
    public init(now: Date, statuses: [String: AccountObservation] = [:], resolved: [String: ImageRef] = [:],
                analyses: [String: AnalysisState] = [:], blockedBy: Int64? = nil) {
        self.now = now
        self.statuses = statuses
        self.resolved = resolved
        self.analyses = analyses
        self.blockedBy = blockedBy
    }

    /// The key of an analysis in `analyses`.
    public static func key(account: String, name: String) -> String { "\(account)/\(name)" }

    /// The state of `account`'s analysis `name`, if it has one.
    public func analysis(_ account: String, _ name: String) -> AnalysisState? { analyses[Self.key(account: account, name: name)] }
}

/// One account as a pass saw it.
public enum AccountObservation: Sendable, Hashable {
    /// The driver answered.
    case status(WorkloadStatus)
    /// The driver failed; the message says why (never a secret).
    case unreachable(String)
}
