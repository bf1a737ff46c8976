/// What applying a revision did.
public struct ApplyOutcome: Sendable, Hashable {
    /// The application's latest revision: the one stored, or the unchanged one with the same digest.
    public var revision: PipelineRevision
    /// The execution of that revision.
    public var execution: Execution
    /// Whether the apply created the execution; false when the digest was already the latest revision's.
    public var created: Bool
    /// The ids of the executions the new revision superseded.
    public var superseded: [Int64]

    /// An outcome.
    public init(revision: PipelineRevision, execution: Execution, created: Bool, superseded: [Int64]) {
        self.revision = revision
        self.execution = execution
        self.created = created
        self.superseded = superseded
    }
}
