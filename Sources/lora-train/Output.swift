import ArgumentParser
import Foundation
import LoRA

/// Writing to the terminal's streams and rendering JSON for `lora-train`'s commands.
enum Console {
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func err(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Prints `error: DESCRIPTION` to stderr and returns exit code 1 (invalid input) to throw.
    static func fail(_ error: LoRAError) -> ExitCode {
        err("error: \(error.description)\n")
        return ExitCode(1)
    }

    /// Pretty JSON with sorted keys, as `kubectl -o json` prints.
    static func json<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}

/// Pieces of JSON written by hand, where `JSONEncoder` would not print floats as they round-trip.
enum JSONText {
    /// `text` as a JSON string literal.
    static func string(_ text: String) -> String { JSONString.quoted(text) }

    /// `text` as a JSON string, or `null`.
    static func string(_ text: String?) -> String {
        text.map { string($0) } ?? "null"
    }

    /// The shortest decimal that reads back as the same `Float`; `null` for NaN and infinities.
    static func number(_ value: Float) -> String {
        value.isFinite ? String(describing: value) : "null"
    }

    /// `values` as a one-line JSON array of numbers.
    static func array(_ values: [Float]) -> String {
        "[" + values.map(number).joined(separator: ", ") + "]"
    }
}
