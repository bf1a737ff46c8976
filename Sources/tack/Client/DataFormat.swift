import ArgumentParser
import Foundation
import TackServer

/// `-o text|json|yaml` for the commands that show the controller's data.
enum DataFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, yaml

    /// Writes `value` to stdout as JSON or YAML, or `text()` for `-o text`.
    func write<Value: Encodable>(_ value: Value, text: () -> String) throws {
        switch self {
        case .text: Console.out(text())
        case .json: Console.out(try Self.json(value))
        case .yaml: Console.out(try YAMLOutput.text(value))
        }
    }

    /// Pretty JSON with sorted keys and the API's dates, as `kubectl -o json` prints.
    static func json<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = APIJSON.encoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}
