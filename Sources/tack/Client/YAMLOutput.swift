import Foundation
import KubeAPI
import TackServer

/// `-o yaml`: an Encodable value's JSON encoding (the API's dates) written as block YAML, keys
/// sorted, two-space indentation, strings quoted where a YAML reader would take them for
/// something else, and multi-line strings as literal blocks.
enum YAMLOutput {
    /// The YAML document of `value`, ending with a newline.
    static func text<Value: Encodable>(_ value: Value) throws -> String {
        let tree = try JSONDecoder().decode(JSONValue.self, from: try APIJSON.encoder().encode(value))
        return lines(tree).joined(separator: "\n") + "\n"
    }

    /// The lines of `value` at the top level.
    static func lines(_ value: JSONValue) -> [String] {
        switch value {
        case .object(let members) where !members.isEmpty: return block(value, indent: 0)
        case .array(let items) where !items.isEmpty: return block(value, indent: 0)
        case .string(let text):
            if let literal = YAMLScalar.literalBlock(text) { return [literal.header] + literal.lines.map { indented($0, 2) } }
            return [YAMLScalar.inline(text)]
        default: return [inline(value)]
        }
    }

    /// A non-empty mapping or sequence, each line indented by `indent` spaces.
    private static func block(_ value: JSONValue, indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        switch value {
        case .object(let members):
            return members.keys.sorted().flatMap { key in
                entry(prefix: pad + YAMLScalar.inline(key) + ":", value: members[key]!, indent: indent, isItem: false)
            }
        case .array(let items):
            return items.flatMap { entry(prefix: pad + "-", value: $0, indent: indent, isItem: true) }
        default:
            return [pad + inline(value)]
        }
    }

    /// `prefix` (`key:` or `-`) followed by `value`: on the same line when it is a scalar or an
    /// empty collection, below it otherwise. A sequence item's mapping starts on the dash's line.
    private static func entry(prefix: String, value: JSONValue, indent: Int, isItem: Bool) -> [String] {
        switch value {
        case .object(let members) where !members.isEmpty:
            return nested(prefix: prefix, block(value, indent: indent + 2), indent: indent, isItem: isItem)
        case .array(let items) where !items.isEmpty:
            return nested(prefix: prefix, block(value, indent: indent + 2), indent: indent, isItem: isItem)
        case .string(let text):
            if let literal = YAMLScalar.literalBlock(text) {
                return [prefix + " " + literal.header] + literal.lines.map { indented($0, indent + 2) }
            }
            return [prefix + " " + YAMLScalar.inline(text)]
        default:
            return [prefix + " " + inline(value)]
        }
    }

    /// A nested block under `prefix`: for a sequence item, its first line moves up beside the dash.
    private static func nested(prefix: String, _ lines: [String], indent: Int, isItem: Bool) -> [String] {
        guard isItem, let first = lines.first else { return [prefix] + lines }
        return [prefix + " " + first.dropFirst(indent + 2)] + lines.dropFirst()
    }

    private static func indented(_ line: String, _ indent: Int) -> String {
        line.isEmpty ? "" : String(repeating: " ", count: indent) + line
    }

    /// A scalar or an empty collection on one line.
    private static func inline(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .integer(let number): String(number)
        case .number(let number): "\(number)"
        case .string(let text): YAMLScalar.inline(text)
        case .array: "[]"
        case .object: "{}"
        }
    }
}
