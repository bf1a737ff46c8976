import Foundation
import GRDB

extension EngineStore {
    /// The application's newest revision, if any.
    public func latestRevision(app: String) throws(EngineError) -> PipelineRevision? {
        try read { db in try Self.latestRevision(db, app: app) }
    }

    /// Revision `number` of the application, if stored.
    public func revision(app: String, number: Int) throws(EngineError) -> PipelineRevision? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM revisions WHERE app = ? AND number = ?", arguments: [app, number])
                .map(PipelineRevision.init(row:))
        }
    }

    /// Every revision of the application, oldest first.
    public func revisions(app: String) throws(EngineError) -> [PipelineRevision] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM revisions WHERE app = ? ORDER BY number", arguments: [app])
                .map(PipelineRevision.init(row:))
        }
    }

    /// Stores `revision` as the application's next one and starts its execution, superseding the
    /// running ones; applying the latest revision's digest again changes nothing.
    public func apply(_ revision: PipelineRevision, accounts: [AccountRollout], now: Date) throws(EngineError)
        -> ApplyOutcome
    {
        try write { db in
            let latest = try Self.latestRevision(db, app: revision.app)
            if let latest, latest.digest == revision.digest {
                if let execution = try Self.latestExecution(db, app: latest.app) {
                    return ApplyOutcome(revision: latest, execution: execution, created: false, superseded: [])
                }
                let execution = try Self.insertExecution(db, revision: latest, accounts: accounts, now: now)
                return ApplyOutcome(revision: latest, execution: execution, created: true, superseded: [])
            }
            var stored = revision
            stored.number = (latest?.number ?? 0) + 1
            try Self.insert(db, revision: stored)
            let superseded = try Self.supersede(db, app: stored.app, by: stored.number, now: now)
            let execution = try Self.insertExecution(db, revision: stored, accounts: accounts, now: now)
            return ApplyOutcome(revision: stored, execution: execution, created: true, superseded: superseded)
        }
    }

    static func latestRevision(_ db: Database, app: String) throws -> PipelineRevision? {
        try Row.fetchOne(
            db, sql: "SELECT * FROM revisions WHERE app = ? ORDER BY number DESC LIMIT 1", arguments: [app]
        ).map(PipelineRevision.init(row:))
    }

    private static func insert(_ db: Database, revision: PipelineRevision) throws {
        try db.execute(
            sql: """
                INSERT INTO revisions (app, number, digest, pipeline_path, pipeline_text, accounts_path, accounts_text,
                    applied_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                revision.app, revision.number, revision.digest, revision.pipelinePath, revision.pipelineText,
                revision.accountsPath, revision.accountsText, revision.appliedAt.storeSeconds,
            ]
        )
    }

    /// Marks the application's running executions superseded, except those rolling back; returns their ids.
    private static func supersede(_ db: Database, app: String, by number: Int, now: Date) throws -> [Int64] {
        var superseded: [Int64] = []
        for var execution in try activeExecutions(db, app: app) where execution.phase != .rollingBack {
            let message = "superseded by revision \(number)"
            execution.phase = .superseded
            execution.message = message
            execution.updatedAt = now
            try updateRow(db, execution)
            _ = try insert(db, EngineEvent(executionID: execution.id, time: now, kind: .phaseChanged, message: message))
            superseded.append(execution.id)
        }
        return superseded
    }
}

extension PipelineRevision {
    /// The revision in a `revisions` row.
    init(row: Row) {
        self.init(
            app: row["app"], number: row["number"], digest: row["digest"],
            pipelinePath: row["pipeline_path"], pipelineText: row["pipeline_text"],
            accountsPath: row["accounts_path"], accountsText: row["accounts_text"],
            appliedAt: Date(storeSeconds: row["applied_at"])
        )
    }
}
