import TackEngine

/// What `POST /v1/apply` and `POST /v1/applications/{app}/rollback` did.
public struct ApplyResult: Sendable, Hashable, Codable {
    /// The application.
    public var app: String
    /// The number of the application's latest revision: the new one, or the unchanged one.
    public var revision: Int
    /// Whether a revision and its execution were created; false when the same files were applied before.
    public var created: Bool
    /// The ids of the executions the new revision superseded.
    public var superseded: [Int64]
    /// The revision's execution.
    public var execution: ExecutionView

    /// A result.
    public init(app: String, revision: Int, created: Bool, superseded: [Int64], execution: ExecutionView) {
        self.app = app
        self.revision = revision
        self.created = created
        self.superseded = superseded
        self.execution = execution
    }
}
