import GRDB

extension EngineStore {
    /// How many stored executions are in each phase; every phase is present, 0 when none is.
    public func executionCountsByPhase() throws(EngineError) -> [ExecutionPhase: Int] {
        try read { db in
            var counts = Dictionary(uniqueKeysWithValues: ExecutionPhase.allCases.map { ($0, 0) })
            for row in try Row.fetchAll(db, sql: "SELECT phase, COUNT(*) AS count FROM executions GROUP BY phase") {
                guard let phase = ExecutionPhase(rawValue: row["phase"]) else { continue }
                counts[phase] = row["count"]
            }
            return counts
        }
    }
}
