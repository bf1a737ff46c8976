import Foundation
import GRDB

extension EngineStore {
    /// The execution's events with a sequence number above `sequence`, in the order they happened.
    public func events(executionID: Int64, after sequence: Int64 = 0) throws(EngineError) -> [EngineEvent] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM events WHERE execution_id = ? AND sequence > ? ORDER BY sequence",
                arguments: [executionID, sequence]
            ).map { row in
                guard let kind = EngineEvent.Kind(rawValue: row["kind"]) else {
                    throw EngineError.store("event \(row["sequence"] as Int64) has an unknown kind")
                }
                return EngineEvent(
                    executionID: row["execution_id"], time: Date(storeSeconds: row["time"]), account: row["account"],
                    kind: kind, message: row["message"], sequence: row["sequence"])
            }
        }
    }

    /// Appends events of stored executions; returns them with their sequence numbers.
    @discardableResult
    public func append(_ events: [EngineEvent]) throws(EngineError) -> [EngineEvent] {
        try write { db in try events.map { try Self.insert(db, $0) } }
    }

    /// Inserts `event`; returns it with its sequence number.
    static func insert(_ db: Database, _ event: EngineEvent) throws -> EngineEvent {
        try db.execute(
            sql: "INSERT INTO events (execution_id, time, account, kind, message) VALUES (?, ?, ?, ?, ?)",
            arguments: [event.executionID, event.time.storeSeconds, event.account, event.kind.rawValue, event.message]
        )
        var stored = event
        stored.sequence = db.lastInsertedRowID
        return stored
    }
}
