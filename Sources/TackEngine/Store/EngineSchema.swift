import GRDB

/// The store's tables, as migrations applied in order; a migration once released never changes.
///
/// Times are REAL seconds since 2001-01-01 UTC (Foundation's reference date), which gives a `Date`
/// back bit for bit; seconds since 1970 would not, because adding the 978,307,200 s between the two
/// epochs rounds away the low bits. In sqlite3: `datetime(applied_at + 978307200, 'unixepoch')`.
enum EngineSchema {
    /// The migrator that brings a database file to the current schema.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1", migrate: createTables)
        return migrator
    }

    private static func createTables(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE revisions (
                    app TEXT NOT NULL,
                    number INTEGER NOT NULL,
                    digest TEXT NOT NULL,
                    pipeline_path TEXT NOT NULL,
                    pipeline_text TEXT NOT NULL,
                    accounts_path TEXT NOT NULL,
                    accounts_text TEXT NOT NULL,
                    applied_at REAL NOT NULL,
                    PRIMARY KEY (app, number)
                );

                -- details: the execution's other fields as JSON (ExecutionDetails).
                CREATE TABLE executions (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    app TEXT NOT NULL,
                    revision INTEGER NOT NULL,
                    phase TEXT NOT NULL,
                    stage INTEGER NOT NULL,
                    details TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    updated_at REAL NOT NULL,
                    FOREIGN KEY (app, revision) REFERENCES revisions (app, number)
                );
                CREATE INDEX executions_on_app ON executions (app);
                CREATE INDEX executions_on_phase ON executions (phase);

                -- position: the account's index in Execution.accounts (pipeline order).
                -- rollout: the whole AccountRollout as JSON.
                CREATE TABLE account_states (
                    execution_id INTEGER NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
                    stage INTEGER NOT NULL,
                    account TEXT NOT NULL,
                    position INTEGER NOT NULL,
                    phase TEXT NOT NULL,
                    rollout TEXT NOT NULL,
                    PRIMARY KEY (execution_id, stage, account)
                );

                -- One row per condition of a round; a round without conditions is one row whose
                -- condition_index (and condition, metric, phase, reason) is NULL.
                CREATE TABLE measurements (
                    execution_id INTEGER NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
                    account TEXT NOT NULL,
                    analysis TEXT NOT NULL,
                    round INTEGER NOT NULL,
                    counted INTEGER NOT NULL,
                    time REAL NOT NULL,
                    condition_index INTEGER,
                    condition TEXT,
                    metric TEXT,
                    phase TEXT,
                    value REAL,
                    stable_value REAL,
                    limit_value REAL,
                    requests REAL,
                    reason TEXT
                );
                CREATE INDEX measurements_on_round ON measurements (execution_id, account, analysis, round);

                CREATE TABLE events (
                    sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                    execution_id INTEGER NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
                    time REAL NOT NULL,
                    account TEXT,
                    kind TEXT NOT NULL,
                    message TEXT NOT NULL
                );
                CREATE INDEX events_on_execution ON events (execution_id);
                """
        )
    }
}
