import Foundation
import TackEngine

/// One application in `GET /v1/applications`: its latest execution in brief.
public struct ApplicationSummary: Sendable, Hashable, Codable {
    /// One account of the latest execution.
    public struct Account: Sendable, Hashable, Codable {
        /// The account.
        public var account: String
        /// Where it stands.
        public var phase: AccountPhase

        /// An account summary.
        public init(account: String, phase: AccountPhase) {
            self.account = account
            self.phase = phase
        }
    }

    /// How the latest execution that ended did.
    public struct Verdict: Sendable, Hashable, Codable {
        /// The execution.
        public var execution: Int64
        /// The revision it rolled out.
        public var revision: Int
        /// `succeeded`, `rolledBack`, `aborted` or `failed`.
        public var phase: ExecutionPhase
        /// Why it rolled back or failed: the condition that held, or the last reason given.
        public var reason: String?
        /// When it ended.
        public var finishedAt: Date

        /// The verdict of `execution`, which has ended.
        public init(_ execution: Execution) {
            self.execution = execution.id
            revision = execution.revision
            phase = execution.phase
            reason = execution.phase == .succeeded ? nil : execution.reason
            finishedAt = execution.updatedAt
        }
    }

    /// The application.
    public var app: String
    /// The revision its latest execution rolls out.
    public var revision: Int
    /// Where the latest execution stands.
    public var phase: ExecutionPhase
    /// Each account rollout of the latest execution, in pipeline order.
    public var accounts: [Account]
    /// When the latest execution last changed.
    public var updatedAt: Date
    /// How the latest execution that ended did (the latest itself once it has ended).
    public var lastVerdict: Verdict?

    /// A summary.
    public init(app: String, revision: Int, phase: ExecutionPhase, accounts: [Account], updatedAt: Date, lastVerdict: Verdict? = nil) {
        self.app = app
        self.revision = revision
        self.phase = phase
        self.accounts = accounts
        self.updatedAt = updatedAt
        self.lastVerdict = lastVerdict
    }

    /// The summary of `execution`, with the verdict of `ended`.
    public init(_ execution: Execution, lastVerdict ended: Execution? = nil) {
        self.init(
            app: execution.app, revision: execution.revision, phase: execution.phase,
            accounts: execution.accounts.map { Account(account: $0.account, phase: $0.phase) }, updatedAt: execution.updatedAt,
            lastVerdict: ended.map(Verdict.init))
    }
}
