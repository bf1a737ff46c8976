import Foundation
import GRDB

/// The engine's state in SQLite: revisions, executions with their accounts, events and analysis rounds.
///
/// Every method is one transaction, so a process killed at any point leaves each call either done
/// or not done. Several processes may open the same file (the engine and the CLI).
public final class EngineStore: Sendable {
    /// The connection (a WAL pool for a file, a queue in memory).
    let writer: any DatabaseWriter

    /// Opens or creates the database file at `path` and brings its schema up to date.
    public init(path: String) throws(EngineError) {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .store("cannot create directory \(directory.path)")
        }
        do {
            let pool = try DatabasePool(path: path, configuration: Self.configuration())
            // A SIGKILL loses nothing committed in any mode: a COMMIT that returned is in the OS's
            // page cache. FULL also keeps it through a power loss or kernel crash (WAL with NORMAL
            // may lose the last commits there), for one fsync per commit, which the engine's few
            // commits per pass easily afford. Set here because the pool sets NORMAL when it opens
            // the writing connection, after `prepareDatabase`; readers never commit.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            writer = pool
        } catch {
            throw Self.storeError(error)
        }
        try migrate()
    }

    /// A store in memory, for tests.
    public static func inMemory() throws(EngineError) -> EngineStore {
        do {
            return try EngineStore(writer: DatabaseQueue(configuration: configuration()))
        } catch {
            throw storeError(error)
        }
    }

    private init(writer: any DatabaseWriter) throws(EngineError) {
        self.writer = writer
        try migrate()
    }

    private func migrate() throws(EngineError) {
        let migrator = EngineSchema.migrator
        do {
            try migrator.migrate(writer)
            if try writer.read(migrator.hasBeenSuperseded) {
                throw EngineError.store("the database was written by a newer Tack")
            }
        } catch {
            throw Self.storeError(error)
        }
    }

    private static func configuration() -> Configuration {
        var configuration = Configuration()
        configuration.label = "TackEngine.EngineStore"
        // The engine and the CLI write the same file: wait for each other's transactions.
        configuration.busyMode = .timeout(10)
        return configuration
    }

    /// Runs `body` in one write transaction, rolled back when it throws.
    func write<T>(_ body: (Database) throws -> T) throws(EngineError) -> T {
        do {
            return try writer.write(body)
        } catch {
            throw Self.storeError(error)
        }
    }

    /// Runs `body` on a consistent snapshot of the database.
    func read<T>(_ body: (Database) throws -> T) throws(EngineError) -> T {
        do {
            return try writer.read(body)
        } catch {
            throw Self.storeError(error)
        }
    }

    /// The value of `PRAGMA name` on the writing connection (journal_mode, synchronous), for checks.
    func pragma(_ name: String) throws(EngineError) -> String? {
        try write { db in try String.fetchOne(db, sql: "PRAGMA \(name)") }
    }

    /// The engine error for a failure: engine errors pass through, SQLite's keep their short message.
    static func storeError(_ error: any Error) -> EngineError {
        switch error {
        case let error as EngineError:
            error
        case let error as DatabaseError:
            .store(error.message ?? "SQLite error \(error.resultCode.rawValue)")
        case is EncodingError, is DecodingError:
            .store("a stored value does not encode or decode as JSON")
        default:
            .store(String(describing: error))
        }
    }
}

extension EngineStore {
    /// `value` as compact JSON with sorted keys.
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// The value encoded in `text`.
    static func decode<T: Decodable>(_ type: T.Type, json text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}

extension Date {
    /// The value stored in a time column (seconds since 2001-01-01, exact).
    var storeSeconds: Double { timeIntervalSinceReferenceDate }

    /// The date stored as `seconds` in a time column.
    init(storeSeconds seconds: Double) {
        self.init(timeIntervalSinceReferenceDate: seconds)
    }
}
