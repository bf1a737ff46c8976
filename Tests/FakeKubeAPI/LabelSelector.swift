/// A `labelSelector` query: requirements joined by commas, all of which must hold.
struct LabelSelector: Sendable, Hashable {
    /// One requirement on a label.
    enum Requirement: Sendable, Hashable {
        case equals(String, String)
        case notEquals(String, String)
        case isIn(String, Set<String>)
        case notIn(String, Set<String>)
        case exists(String)
        case doesNotExist(String)
        case greaterThan(String, Int)
        case lessThan(String, Int)
    }

    var requirements: [Requirement] = []

    /// The selector that matches everything.
    static let everything = LabelSelector()

    /// Parses a selector such as `app=web,track in (stable,canary),!paused`; throws a 400 for bad syntax.
    init(parsing text: String) throws(APIFailure) {
        for part in Self.splitTopLevel(text) {
            let term = part.trimmingSpaces
            if term.isEmpty { continue }
            requirements.append(try Self.requirement(term))
        }
    }

    private init() {}

    /// Whether `labels` satisfy every requirement.
    func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { requirement in
            switch requirement {
            case .equals(let key, let value): labels[key] == value
            case .notEquals(let key, let value): labels[key] != value
            case .isIn(let key, let values): labels[key].map(values.contains) ?? false
            case .notIn(let key, let values): !(labels[key].map(values.contains) ?? false)
            case .exists(let key): labels[key] != nil
            case .doesNotExist(let key): labels[key] == nil
            case .greaterThan(let key, let bound): labels[key].flatMap { Int($0) }.map { $0 > bound } ?? false
            case .lessThan(let key, let bound): labels[key].flatMap { Int($0) }.map { $0 < bound } ?? false
            }
        }
    }

    /// Splits on commas outside parentheses.
    private static func splitTopLevel(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        for character in text {
            switch character {
            case "(": depth += 1
            case ")": depth -= 1
            case "," where depth == 0:
                parts.append(current)
                current = ""
                continue
            default: break
            }
            current.append(character)
        }
        parts.append(current)
        return parts
    }

    private static func requirement(_ term: String) throws(APIFailure) -> Requirement {
        func fail(_ why: String) -> APIFailure {
            .badRequest("unable to parse requirement: \(why)")
        }
        func key(_ text: Substring) throws(APIFailure) -> String {
            let key = String(text).trimmingSpaces
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || "-_./".contains($0) }) else {
                throw fail("key: Invalid value: \"\(key)\": name part must consist of alphanumeric characters, '-', '_' or '.'")
            }
            return key
        }
        func value(_ text: Substring) throws(APIFailure) -> String {
            let value = String(text).trimmingSpaces
            guard value.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
                throw fail("values[0][\(term)]: Invalid value: \"\(value)\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.'")
            }
            return value
        }
        if term.hasPrefix("!") { return .doesNotExist(try key(term.dropFirst())) }
        if let range = term.range(of: "!=") { return .notEquals(try key(term[..<range.lowerBound]), try value(term[range.upperBound...])) }
        if let range = term.range(of: "==") { return .equals(try key(term[..<range.lowerBound]), try value(term[range.upperBound...])) }
        if let range = term.range(of: "=") { return .equals(try key(term[..<range.lowerBound]), try value(term[range.upperBound...])) }
        for (symbol, make) in [(">", Requirement.greaterThan), ("<", Requirement.lessThan)] {
            if let range = term.range(of: symbol) {
                guard let bound = Int(String(term[range.upperBound...]).trimmingSpaces) else { throw fail("for 'Gt', 'Lt' operators, the value must be an integer") }
                return make(try key(term[..<range.lowerBound]), bound)
            }
        }
        if let open = term.firstIndex(of: "(") {
            guard term.hasSuffix(")") else { throw fail("found '\(term)', expected: ')'") }
            let head = term[..<open].split(separator: " ", omittingEmptySubsequences: true)
            guard head.count == 2 else { throw fail("found '\(term)', expected: in, notin") }
            var values: Set<String> = []
            for element in term[term.index(after: open)..<term.index(before: term.endIndex)].split(separator: ",") {
                values.insert(try value(element))
            }
            switch head[1] {
            case "in": return .isIn(try key(head[0]), values)
            case "notin": return .notIn(try key(head[0]), values)
            default: throw fail("found '\(head[1])', expected: in, notin")
            }
        }
        return .exists(try key(term[...]))
    }
}
