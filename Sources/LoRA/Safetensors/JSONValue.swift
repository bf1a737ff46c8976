/// A parsed JSON value; objects keep their members in order so duplicates can be reported.
enum JSONValue {
    case object([JSONMember])
    case array([JSONValue])
    case string(String)
    /// A number, kept as its source text so integers are read exactly.
    case number(String)
    case bool(Bool)
    case null

    /// A short name of the value's kind, for error messages.
    var kind: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }
}

/// One `"key": value` member of a JSON object.
struct JSONMember {
    let key: String
    let value: JSONValue
}
