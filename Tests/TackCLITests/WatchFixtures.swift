import Foundation
import TackEngine
import TackServer
import Testing

/// The inputs and golden files of the watch tests, in `Fixtures/watch/`.
///
/// The `*.json` inputs are what the controller sends (an `ExecutionView` and its events); the
/// `*.txt` files are the expected output. After a deliberate change of the rendering, regenerate
/// the golden files and review their diff:
///
///     TACK_UPDATE_GOLDEN=1 swift test --filter TackCLITests.Watch
enum WatchFixtures {
    /// One fixture: a state of an execution and the events so far.
    struct Recording: Decodable {
        var execution: ExecutionView
        var events: [EngineEvent]
    }

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/watch")

    /// Whether golden files are rewritten instead of compared.
    static var isUpdating: Bool { ProcessInfo.processInfo.environment["TACK_UPDATE_GOLDEN"] == "1" }

    /// Decodes `NAME.json` with the API's decoder.
    static func recording(_ name: String) throws -> Recording {
        let data = try Data(contentsOf: directory.appendingPathComponent(name + ".json"))
        return try APIJSON.decoder().decode(Recording.self, from: data)
    }

    /// `2025-11-22T16:44:10Z` and the like, for fixed clocks.
    static func date(_ text: String) throws -> Date {
        try Date(text, strategy: .iso8601)
    }

    /// Compares `lines` with `NAME.txt`, or writes them there under `TACK_UPDATE_GOLDEN=1`.
    static func expectGolden(_ lines: [String], _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = directory.appendingPathComponent(name + ".txt")
        let actual = lines.joined(separator: "\n") + "\n"
        if isUpdating {
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("missing golden file \(url.path); run with TACK_UPDATE_GOLDEN=1 to create it", sourceLocation: sourceLocation)
            return
        }
        #expect(actual == expected, "differs from \(name).txt; run with TACK_UPDATE_GOLDEN=1 and review the diff", sourceLocation: sourceLocation)
    }
}
