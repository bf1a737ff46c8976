import Foundation
import KubeAPI
import Testing

/// The JSON objects under `Fixtures/objects/`: API server answers to read, and golden renderings.
enum ObjectFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/objects")

    /// The object in `Fixtures/objects/<name>`.
    static func load(_ name: String) throws -> JSONValue {
        let bytes = try Data(contentsOf: directory.appendingPathComponent(name))
        return try JSONValue.parse(Array(bytes), what: name)
    }

    /// The `items` of the list in `Fixtures/objects/<name>`.
    static func items(_ name: String) throws -> [JSONValue] {
        try load(name)["items"]?.array ?? []
    }

    /// Pretty JSON with sorted keys, as the golden files are written.
    static func pretty(_ value: JSONValue) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }

    /// Whether `rendered` equals the golden file `name`; with `TACK_UPDATE_GOLDEN=1` the file is rewritten.
    static func matchesGolden(_ rendered: JSONValue, _ name: String) throws -> Bool {
        let url = directory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["TACK_UPDATE_GOLDEN"] == "1" {
            try pretty(rendered).write(to: url, atomically: true, encoding: .utf8)
        }
        return try load(name) == rendered
    }
}

@Suite("object fixtures")
struct StatusFixtureTests {
    @Test("every object fixture is valid JSON")
    func fixturesParse() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: ObjectFixtures.directory.path)
            .filter { $0.hasSuffix(".json") }
        #expect(names.count > 10)
        for name in names { #expect(try ObjectFixtures.load(name).object != nil, "\(name)") }
    }
}
