import Foundation
import GRDB

extension EngineStore {
    /// The execution with this id, if stored.
    public func execution(id: Int64) throws(EngineError) -> Execution? {
        try read { db in try Self.fetch(db, "SELECT * FROM executions WHERE id = \(id)").first }
    }

    /// The application's newest execution, if any.
    public func latestExecution(app: String) throws(EngineError) -> Execution? {
        try read { db in try Self.latestExecution(db, app: app) }
    }

    /// The executions of `app` (of every application when nil), newest first.
    public func executions(app: String?) throws(EngineError) -> [Execution] {
        try read { db in
            guard let app else { return try Self.fetch(db, "SELECT * FROM executions ORDER BY id DESC") }
            return try Self.fetch(db, "SELECT * FROM executions WHERE app = \(app) ORDER BY id DESC")
        }
    }

    /// The executions that have not ended, of every application, oldest first.
    public func activeExecutions() throws(EngineError) -> [Execution] {
        try read { db in try Self.activeExecutions(db, app: nil) }
    }

    /// The application's latest execution that ended with a verdict (succeeded, rolled back,
    /// aborted or failed; a superseded one has none).
    public func latestVerdict(app: String) throws(EngineError) -> Execution? {
        let phases = ExecutionPhase.allCases.filter { $0.isTerminal && $0 != .superseded }.map(\.rawValue)
        return try read { db in
            try Self.fetch(db, "SELECT * FROM executions WHERE app = \(app) AND phase IN \(phases) ORDER BY id DESC LIMIT 1").first
        }
    }

    /// The names of the applications with a revision, sorted.
    public func applications() throws(EngineError) -> [String] {
        try read { db in try String.fetchAll(db, sql: "SELECT DISTINCT app FROM revisions").sorted() }
    }

    /// Stores `execution` (which must exist) with its accounts and appends `events`; returns the
    /// events with their sequence numbers. When the stored execution changed after `loadedAt` (when
    /// the caller read it), a judgment requested meanwhile is kept, and an execution that ended
    /// meanwhile (superseded) is not overwritten: `EngineError.endedMeanwhile`.
    @discardableResult
    public func save(_ execution: Execution, events: [EngineEvent], loadedAt: Date? = nil) throws(EngineError) -> [EngineEvent] {
        try write { db in
            var execution = execution
            if let loadedAt, let stored = try Self.fetch(db, "SELECT * FROM executions WHERE id = \(execution.id)").first,
               stored.updatedAt > loadedAt {
                // Changed since the caller read it: a newer revision may have ended it, or a person
                // asked for a judgment. An ended execution stays ended; a judgment is kept.
                if stored.phase.isTerminal { throw EngineError.endedMeanwhile(id: execution.id, phase: stored.phase) }
                if execution.judgment == nil, let pending = stored.judgment { execution.judgment = pending }
            }
            try Self.updateRow(db, execution)
            try Self.saveAccounts(db, execution)
            return try events.map { try Self.insert(db, $0) }
        }
    }

    /// Records a person's judgment on the application's latest execution, for the engine to apply.
    public func requestJudgment(_ judgment: Judgment, app: String, now: Date) throws(EngineError) -> Execution {
        try write { db in
            guard var execution = try Self.latestExecution(db, app: app) else { throw EngineError.noExecution(app: app) }
            guard !execution.phase.isTerminal else { throw EngineError.notRunning(app: app, phase: execution.phase) }
            execution.judgment = judgment
            execution.updatedAt = now
            try Self.updateRow(db, execution)
            let event = EngineEvent(
                executionID: execution.id, time: now, kind: .judgment, message: "\(judgment.rawValue) requested")
            _ = try Self.insert(db, event)
            return execution
        }
    }
}

extension EngineStore {
    static func latestExecution(_ db: Database, app: String) throws -> Execution? {
        try fetch(db, "SELECT * FROM executions WHERE app = \(app) ORDER BY id DESC LIMIT 1").first
    }

    /// The executions that have not ended, of `app` or of every application, oldest first.
    static func activeExecutions(_ db: Database, app: String?) throws -> [Execution] {
        let phases = ExecutionPhase.allCases.filter { !$0.isTerminal }.map(\.rawValue)
        guard let app else {
            return try fetch(db, "SELECT * FROM executions WHERE phase IN \(phases) ORDER BY id")
        }
        return try fetch(db, "SELECT * FROM executions WHERE app = \(app) AND phase IN \(phases) ORDER BY id")
    }

    /// Inserts a pending execution of `revision` with its accounts and a `created` event.
    static func insertExecution(_ db: Database, revision: PipelineRevision, accounts: [AccountRollout], now: Date)
        throws -> Execution
    {
        var execution = Execution(app: revision.app, revision: revision.number, accounts: accounts, createdAt: now)
        try db.execute(
            sql: """
                INSERT INTO executions (app, revision, phase, stage, details, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                execution.app, execution.revision, execution.phase.rawValue, execution.stage,
                try json(ExecutionDetails(execution)), execution.createdAt.storeSeconds, execution.updatedAt.storeSeconds,
            ]
        )
        execution.id = db.lastInsertedRowID
        try saveAccounts(db, execution)
        let message = "revision \(revision.number) applied"
        _ = try insert(db, EngineEvent(executionID: execution.id, time: now, kind: .created, message: message))
        return execution
    }

    /// Updates the execution's own row (not its accounts); throws when it does not exist.
    static func updateRow(_ db: Database, _ execution: Execution) throws {
        try db.execute(
            sql: """
                UPDATE executions SET app = ?, revision = ?, phase = ?, stage = ?, details = ?, created_at = ?,
                    updated_at = ? WHERE id = ?
                """,
            arguments: [
                execution.app, execution.revision, execution.phase.rawValue, execution.stage,
                try json(ExecutionDetails(execution)), execution.createdAt.storeSeconds, execution.updatedAt.storeSeconds,
                execution.id,
            ]
        )
        guard db.changesCount == 1 else { throw EngineError.store("no execution with id \(execution.id)") }
    }

    /// Upserts the execution's account rows and deletes the rows of accounts it no longer has.
    private static func saveAccounts(_ db: Database, _ execution: Execution) throws {
        var keys = Set<AccountKey>()
        for (position, rollout) in execution.accounts.enumerated() {
            guard keys.insert(AccountKey(stage: rollout.stage, account: rollout.account)).inserted else {
                throw EngineError.store("account \(rollout.account) appears twice in stage \(rollout.stage)")
            }
            try db.execute(
                sql: """
                    INSERT INTO account_states (execution_id, stage, account, position, phase, rollout)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (execution_id, stage, account)
                    DO UPDATE SET position = excluded.position, phase = excluded.phase, rollout = excluded.rollout
                    """,
                arguments: [execution.id, rollout.stage, rollout.account, position, rollout.phase.rawValue, try json(rollout)]
            )
        }
        let stored = try Row.fetchAll(
            db, sql: "SELECT stage, account FROM account_states WHERE execution_id = ?", arguments: [execution.id])
        for row in stored where !keys.contains(AccountKey(stage: row["stage"], account: row["account"])) {
            try db.execute(
                sql: "DELETE FROM account_states WHERE execution_id = ? AND stage = ? AND account = ?",
                arguments: [execution.id, row["stage"], row["account"]]
            )
        }
    }

    /// The executions `request` selects, with their accounts.
    private static func fetch(_ db: Database, _ request: SQLRequest<Row>) throws -> [Execution] {
        try Row.fetchAll(db, request).map { row in
            var execution = Execution(
                id: row["id"], app: row["app"], revision: row["revision"], accounts: [],
                createdAt: Date(storeSeconds: row["created_at"]))
            guard let phase = ExecutionPhase(rawValue: row["phase"]) else {
                throw EngineError.store("execution \(execution.id) has an unknown phase")
            }
            execution.phase = phase
            execution.stage = row["stage"]
            execution.updatedAt = Date(storeSeconds: row["updated_at"])
            try decode(ExecutionDetails.self, json: row["details"]).apply(to: &execution)
            execution.accounts = try String.fetchAll(
                db, sql: "SELECT rollout FROM account_states WHERE execution_id = ? ORDER BY position",
                arguments: [execution.id]
            ).map { try decode(AccountRollout.self, json: $0) }
            return execution
        }
    }
}

/// An account row's key within its execution.
private struct AccountKey: Hashable {
    var stage: Int
    var account: String
}
