/// The body of `POST /v1/apply`: the pipeline and accounts files, as read by the client.
public struct ApplyRequest: Sendable, Hashable, Codable {
    /// Where the pipeline file was read from (problems are reported against it).
    public var pipelinePath: String
    /// The pipeline file's text.
    public var pipeline: String
    /// Where the accounts file was read from.
    public var accountsPath: String
    /// The accounts file's text.
    public var accounts: String

    /// A request.
    public init(pipelinePath: String, pipeline: String, accountsPath: String, accounts: String) {
        self.pipelinePath = pipelinePath
        self.pipeline = pipeline
        self.accountsPath = accountsPath
        self.accounts = accounts
    }
}
