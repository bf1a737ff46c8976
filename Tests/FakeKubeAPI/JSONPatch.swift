import Foundation
import KubeAPI

/// JSON patch (RFC 6902): `add`, `remove`, `replace`, `move`, `copy` and `test` on JSON pointers.
struct JSONPatch {
    /// Why a patch could not be read (400) or applied (422).
    enum Failure: Error {
        case malformed(String)
        case notApplicable(String)
    }

    /// One operation.
    struct Operation {
        var op: String
        var path: [String]
        var from: [String]?
        var value: JSONValue?
    }

    let operations: [Operation]

    /// Reads a patch document: an array of operation objects.
    init(_ document: JSONValue) throws(Failure) {
        guard let elements = document.array else { throw .malformed("json: cannot unmarshal object into Go value of type jsonpatch.Patch") }
        var operations: [Operation] = []
        for element in elements {
            guard let op = element["op"]?.string else { throw .malformed("Unexpected kind: missing op") }
            guard let path = element["path"]?.string else { throw .malformed("operation \(op) is missing path") }
            let from = try element["from"]?.string.map { text throws(Failure) in try Self.pointer(text) }
            if ["move", "copy"].contains(op), from == nil { throw .malformed("operation \(op) is missing from") }
            if ["add", "replace", "test"].contains(op), element["value"] == nil { throw .malformed("operation \(op) is missing value") }
            guard ["add", "remove", "replace", "move", "copy", "test"].contains(op) else { throw .malformed("Unexpected kind: \(op)") }
            operations.append(Operation(op: op, path: try Self.pointer(path), from: from, value: element["value"]))
        }
        self.operations = operations
    }

    /// The tokens of a JSON pointer such as `/spec/template/0`.
    static func pointer(_ text: String) throws(Failure) -> [String] {
        if text.isEmpty { return [] }
        guard text.hasPrefix("/") else { throw .malformed("JSON pointer must be empty or start with a \"/\": \(text)") }
        return text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    /// `document` with every operation applied in order.
    func apply(to document: JSONValue) throws(Failure) -> JSONValue {
        var result = document
        for operation in operations {
            let pointer = "/" + operation.path.joined(separator: "/")
            switch operation.op {
            case "add":
                try Self.add(operation.value!, at: operation.path[...], in: &result, op: "add")
            case "remove":
                _ = try Self.remove(at: operation.path[...], in: &result, op: "remove")
            case "replace":
                _ = try Self.remove(at: operation.path[...], in: &result, op: "replace")
                try Self.add(operation.value!, at: operation.path[...], in: &result, op: "replace")
            case "move":
                let value = try Self.remove(at: operation.from![...], in: &result, op: "move")
                try Self.add(value, at: operation.path[...], in: &result, op: "move")
            case "copy":
                let value = try Self.get(operation.from![...], in: result, op: "copy")
                try Self.add(value, at: operation.path[...], in: &result, op: "copy")
            default:
                let value = try Self.get(operation.path[...], in: result, op: "test")
                guard value == operation.value else { throw .notApplicable("testing value \(pointer) failed: test failed") }
            }
        }
        return result
    }

    private static func missing(_ op: String, _ path: ArraySlice<String>) -> Failure {
        .notApplicable("\(op) operation does not apply: doc is missing path: \"/\(path.joined(separator: "/"))\": missing value")
    }

    private static func get(_ path: ArraySlice<String>, in document: JSONValue, op: String) throws(Failure) -> JSONValue {
        var current = document
        for token in path {
            switch current {
            case .object(let members):
                guard let next = members[token] else { throw missing(op, path) }
                current = next
            case .array(let elements):
                guard let index = Int(token), elements.indices.contains(index) else { throw missing(op, path) }
                current = elements[index]
            default:
                throw missing(op, path)
            }
        }
        return current
    }

    private static func add(_ value: JSONValue, at path: ArraySlice<String>, in document: inout JSONValue, op: String) throws(Failure) {
        guard let token = path.first else {
            document = value
            return
        }
        let rest = path.dropFirst()
        switch document {
        case .object(var members):
            if rest.isEmpty {
                members[token] = value
            } else {
                guard var child = members[token] else { throw missing(op, path) }
                try add(value, at: rest, in: &child, op: op)
                members[token] = child
            }
            document = .object(members)
        case .array(var elements):
            if rest.isEmpty {
                let index = token == "-" ? elements.count : Int(token) ?? -1
                guard (0...elements.count).contains(index) else { throw missing(op, path) }
                elements.insert(value, at: index)
            } else {
                guard let index = Int(token), elements.indices.contains(index) else { throw missing(op, path) }
                try add(value, at: rest, in: &elements[index], op: op)
            }
            document = .array(elements)
        default:
            throw missing(op, path)
        }
    }

    private static func remove(at path: ArraySlice<String>, in document: inout JSONValue, op: String) throws(Failure) -> JSONValue {
        guard let token = path.first else { throw missing(op, path) }
        let rest = path.dropFirst()
        switch document {
        case .object(var members):
            guard var child = members[token] else { throw missing(op, path) }
            if rest.isEmpty {
                members[token] = nil
                document = .object(members)
                return child
            }
            let removed = try remove(at: rest, in: &child, op: op)
            members[token] = child
            document = .object(members)
            return removed
        case .array(var elements):
            guard let index = Int(token), elements.indices.contains(index) else { throw missing(op, path) }
            if rest.isEmpty {
                let removed = elements.remove(at: index)
                document = .array(elements)
                return removed
            }
            let removed = try remove(at: rest, in: &elements[index], op: op)
            document = .array(elements)
            return removed
        default:
            throw missing(op, path)
        }
    }
}
