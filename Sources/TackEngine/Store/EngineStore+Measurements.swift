import Foundation
import GRDB

extension EngineStore {
    /// Stores a measured round; recording the same round of the same analysis again replaces it.
    public func record(_ round: AnalysisRecord) throws(EngineError) {
        try write { db in
            try db.execute(
                sql: "DELETE FROM measurements WHERE execution_id = ? AND account = ? AND analysis = ? AND round = ?",
                arguments: [round.executionID, round.account, round.analysis, round.round]
            )
            let sql = """
                INSERT INTO measurements (execution_id, account, analysis, round, counted, time, condition_index,
                    condition, metric, phase, value, stable_value, limit_value, requests, reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
            let key: StatementArguments = [
                round.executionID, round.account, round.analysis, round.round, round.counted, round.time.storeSeconds,
            ]
            guard !round.measurements.isEmpty else {
                // The round's only row, with no condition, so that the round itself is kept.
                let none: StatementArguments = [nil, nil, nil, nil, nil, nil, nil, nil, nil]
                try db.execute(sql: sql, arguments: key + none)
                return
            }
            for (index, measurement) in round.measurements.enumerated() {
                let values: StatementArguments = [
                    index, measurement.condition, measurement.metric, measurement.phase, measurement.value,
                    measurement.stableValue, measurement.limit, measurement.requests, measurement.reason,
                ]
                try db.execute(sql: sql, arguments: key + values)
            }
        }
    }

    /// The execution's measured rounds, ordered by account, analysis and round; with `latest`,
    /// only each analysis' last `latest` rounds.
    public func rounds(executionID: Int64, latest: Int? = nil) throws(EngineError) -> [AnalysisRecord] {
        try read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: latest == nil
                    ? """
                    SELECT * FROM measurements WHERE execution_id = ?
                    ORDER BY account, analysis, round, condition_index
                    """
                    : """
                    SELECT m.* FROM measurements m
                    JOIN (SELECT account, analysis, MAX(round) AS last FROM measurements WHERE execution_id = ?1
                          GROUP BY account, analysis) l ON m.account = l.account AND m.analysis = l.analysis
                    WHERE m.execution_id = ?1 AND m.round > l.last - ?2
                    ORDER BY m.account, m.analysis, m.round, m.condition_index
                    """,
                arguments: latest.map { [executionID, $0] } ?? [executionID]
            )
            var records: [AnalysisRecord] = []
            while let row = try rows.next() {
                let account: String = row["account"]
                let analysis: String = row["analysis"]
                let round: Int = row["round"]
                let isNewRound = records.last.map { ($0.account, $0.analysis, $0.round) != (account, analysis, round) }
                if isNewRound ?? true {
                    records.append(AnalysisRecord(
                        executionID: executionID, account: account, analysis: analysis, round: round,
                        counted: row["counted"], time: Date(storeSeconds: row["time"]), measurements: []))
                }
                let conditionIndex: Int? = row["condition_index"]
                guard conditionIndex != nil else { continue }  // a round without conditions
                records[records.count - 1].measurements.append(MeasurementRecord(
                    condition: row["condition"], metric: row["metric"], phase: row["phase"], value: row["value"],
                    stableValue: row["stable_value"], limit: row["limit_value"], requests: row["requests"],
                    reason: row["reason"]))
            }
            return records
        }
    }
}
