/// Typed access to YAML nodes that reports every mismatch to a `DiagnosticLog` with its place
/// and returns nil, so a decoder can go on and find the next problem.
public struct YAMLReader {
    /// Where problems go.
    public let log: DiagnosticLog

    /// A reader reporting to `log`.
    public init(log: DiagnosticLog) {
        self.log = log
    }

    /// The node as a mapping whose keys must be among `keys`; unknown keys are reported with a
    /// suggestion, and keys in `refusing` with the message given there.
    public func mapping(_ node: YAMLNode, what: String, keys: [String],
                        refusing: [String: String] = [:]) -> YAMLMapping? {
        guard let pairs = node.mapping else {
            log.error("\(what) must be a mapping; got \(describe(node))", at: node.mark)
            return nil
        }
        // Keys a misspelling or a merge key may stand for, so they are not reported missing as well.
        var covered: Set<String> = []
        for pair in pairs where !log.isFull {
            guard let key = pair.key.scalar?.value, !keys.contains(key) else { continue }
            if let refusal = refusing[key] {
                log.error(refusal, at: pair.key.mark)
                continue
            }
            let suggestion = key == "<<" ? nil : Suggestion.closest(to: key, in: keys)
            log.error(unknownKeyMessage(key, what: what, keys: keys, suggestion: suggestion), at: pair.key.mark)
            if key == "<<" {
                covered.formUnion(keys)
            } else if let suggestion {
                covered.insert(suggestion)
            }
        }
        return YAMLMapping(node: node, pairs: pairs, what: what, reader: self, covered: covered)
    }

    /// The node as a list.
    public func sequence(_ node: YAMLNode, what: String) -> [YAMLNode]? {
        guard let items = node.sequence else {
            log.error("\(what) must be a list; got \(describe(node))", at: node.mark)
            return nil
        }
        return items
    }

    /// The node as a non-empty string (any scalar but null).
    public func string(_ node: YAMLNode, what: String) -> String? {
        guard let scalar = node.scalar, !scalar.isNull else {
            log.error("\(what) must be a string; got \(describe(node))", at: node.mark)
            return nil
        }
        guard !scalar.value.isEmpty else {
            log.error("\(what) must not be empty", at: node.mark)
            return nil
        }
        return scalar.value
    }

    /// The node as a plain integer within `range`.
    public func integer(_ node: YAMLNode, what: String, in range: ClosedRange<Int>) -> Int? {
        let bound = Self.describe(range)
        let expected = bound.isEmpty ? "an integer" : "an integer \(bound)"
        guard let scalar = node.scalar, scalar.isPlain, let value = Int(scalar.value) else {
            log.error("\(what) must be \(expected); got \(describe(node))", at: node.mark)
            return nil
        }
        guard range.contains(value) else {
            log.error("\(what) must be \(expected); got \(value)", at: node.mark)
            return nil
        }
        return value
    }

    /// The node as a plain boolean (`true` or `false`).
    public func boolean(_ node: YAMLNode, what: String) -> Bool? {
        if let scalar = node.scalar, scalar.isPlain {
            switch scalar.value {
            case "true", "True", "TRUE": return true
            case "false", "False", "FALSE": return false
            default: break
            }
        }
        log.error("\(what) must be true or false; got \(describe(node))", at: node.mark)
        return nil
    }

    /// The node as one of `choices`, with a suggestion for a near miss.
    public func choice(_ node: YAMLNode, what: String, from choices: [String]) -> String? {
        guard let value = string(node, what: what) else { return nil }
        guard !choices.contains(value) else { return value }
        var message = "\(what) must be one of \(choices.joined(separator: ", ")); got \(value.quoted)"
        if let suggestion = Suggestion.closest(to: value, in: choices) {
            message += " (did you mean \"\(suggestion)\"?)"
        }
        log.error(message, at: node.mark)
        return nil
    }

    /// How a node reads in a message: `"three"`, `3`, `the string "3"`, `a list`, `nothing`.
    public func describe(_ node: YAMLNode) -> String {
        switch node.content {
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        case .scalar(let scalar):
            if scalar.isNull { return "nothing (null)" }
            if scalar.isPlain { return Self.looksTyped(scalar.value) ? scalar.value : scalar.value.quoted }
            return Self.looksTyped(scalar.value) ? "the string \(scalar.value.quoted)" : scalar.value.quoted
        }
    }

    private func unknownKeyMessage(_ key: String, what: String, keys: [String], suggestion: String?) -> String {
        if key == "<<" {
            return "merge keys (<<) are not supported in \(what); write the keys out or alias the whole value"
        }
        if let suggestion {
            return "unknown key \(key.quoted) in \(what); did you mean \"\(suggestion)\"?"
        }
        return "unknown key \(key.quoted) in \(what); allowed keys: \(keys.joined(separator: ", "))"
    }

    private static func looksTyped(_ text: String) -> Bool {
        Int(text) != nil || Double(text) != nil || ["true", "false", "True", "False"].contains(text)
    }

    private static func describe(_ range: ClosedRange<Int>) -> String {
        switch (range.lowerBound, range.upperBound) {
        case (Int.min, Int.max): return ""
        case (let low, Int.max): return ">= \(low)"
        default: return "from \(range.lowerBound) to \(range.upperBound)"
        }
    }
}
