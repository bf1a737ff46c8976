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

    /// A summary.
    public init(app: String, revision: Int, phase: ExecutionPhase, accounts: [Account], updatedAt: Date) {
        self.app = app
        self.revision = revision
        self.phase = phase
        self.accounts = accounts
        self.updatedAt = updatedAt
    }

    /// The summary of `execution`.
    public init(_ execution: Execution) {
        self.init(
            app: execution.app, revision: execution.revision, phase: execution.phase,
            accounts: execution.accounts.map { Account(account: $0.account, phase: $0.phase) }, updatedAt: execution.updatedAt)
    }
}
