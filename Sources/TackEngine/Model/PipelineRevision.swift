import Foundation

/// A pipeline as applied: the pipeline and accounts files byte for byte, numbered per application.
public struct PipelineRevision: Sendable, Hashable, Codable {
    /// The application.
    public var app: String
    /// 1 for the first revision applied, then 2, 3, …
    public var number: Int
    /// SHA-256 of the two files' contents; applying the same digest again changes nothing.
    public var digest: String
    /// Where the pipeline file was read from.
    public var pipelinePath: String
    /// The pipeline file's text.
    public var pipelineText: String
    /// Where the accounts file was read from.
    public var accountsPath: String
    /// The accounts file's text.
    public var accountsText: String
    /// When it was applied.
    public var appliedAt: Date

    /// A revision.
    public init(app: String, number: Int, digest: String, pipelinePath: String, pipelineText: String,
                accountsPath: String, accountsText: String, appliedAt: Date) {
        self.app = app
        self.number = number
        self.digest = digest
        self.pipelinePath = pipelinePath
        self.pipelineText = pipelineText
        self.accountsPath = accountsPath
        self.accountsText = accountsText
        self.appliedAt = appliedAt
    }
}
