import Foundation

/// The fields of an execution kept in its row's `details` JSON column.
struct ExecutionDetails: Codable {
    var stageStartedAt: Date?
    var pauseReason: String?
    var judgment: Judgment?
    var cause: RollbackCause?
    var rollbackEnding: ExecutionPhase?
    var message: String?

    /// The details of `execution`.
    init(_ execution: Execution) {
        stageStartedAt = execution.stageStartedAt
        pauseReason = execution.pauseReason
        judgment = execution.judgment
        cause = execution.cause
        rollbackEnding = execution.rollbackEnding
        message = execution.message
    }

    /// Sets these fields of `execution`.
    func apply(to execution: inout Execution) {
        execution.stageStartedAt = stageStartedAt
        execution.pauseReason = pauseReason
        execution.judgment = judgment
        execution.cause = cause
        execution.rollbackEnding = rollbackEnding
        execution.message = message
    }
}
