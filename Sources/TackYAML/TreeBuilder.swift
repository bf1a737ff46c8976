import CYAML

/// Builds the node tree from libyaml events with an explicit stack, so depth is bounded by
/// `YAMLLimits.maxDepth` rather than by the call stack.
struct TreeBuilder {
    /// An open sequence or mapping. A class, so children are appended in place: an enum payload
    /// taken out and put back would copy its array on every append (quadratic in its size).
    private final class Frame {
        let isMapping: Bool
        let mark: Mark
        let anchor: String?
        var items: [YAMLNode] = []
        var pairs: [YAMLPair] = []
        var pendingKey: YAMLNode?

        init(isMapping: Bool, mark: Mark, anchor: String?) {
            self.isMapping = isMapping
            self.mark = mark
            self.anchor = anchor
        }
    }

    let limits: YAMLLimits
    private(set) var root: YAMLNode?
    private(set) var problems: [YAMLProblem] = []
    private var stack: [Frame] = []
    private var anchors: [String: YAMLNode] = [:]
    private var nodeCount = 0
    private var documents = 0

    init(limits: YAMLLimits) {
        self.limits = limits
    }

    mutating func consume(_ event: yaml_event_t) throws(YAMLProblem) {
        let mark = Mark(libyaml: event.start_mark)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 {
                throw YAMLProblem("a file holds one YAML document; a second one starts here", at: mark)
            }
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            let scalar = YAMLScalar(
                string(data.value, length: data.length) ?? "",
                style: Self.style(data.style),
                tag: string(data.tag))
            try add(YAMLNode(.scalar(scalar), mark: mark, endMark: Mark(libyaml: event.end_mark)),
                    anchor: string(data.anchor), count: 1)
        case YAML_ALIAS_EVENT:
            let name = string(event.data.alias.anchor) ?? ""
            guard var node = anchors[name] else {
                throw YAMLProblem("unknown alias *\(name); define an anchor &\(name) before using it", at: mark)
            }
            node.mark = mark
            node.endMark = Mark(libyaml: event.end_mark)
            try add(node, anchor: nil, count: node.weight)
        case YAML_SEQUENCE_START_EVENT:
            try push(Frame(isMapping: false, mark: mark, anchor: string(event.data.sequence_start.anchor)))
        case YAML_MAPPING_START_EVENT:
            try push(Frame(isMapping: true, mark: mark, anchor: string(event.data.mapping_start.anchor)))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            try pop(endMark: Mark(libyaml: event.end_mark))
        default:
            break
        }
    }

    private mutating func push(_ frame: Frame) throws(YAMLProblem) {
        guard stack.count < limits.maxDepth else {
            throw YAMLProblem("nesting is deeper than \(limits.maxDepth) levels", at: frame.mark)
        }
        try count(1, at: frame.mark)
        stack.append(frame)
    }

    private mutating func pop(endMark: Mark) throws(YAMLProblem) {
        guard let frame = stack.popLast() else { return }
        let content: YAMLNode.Content
        if frame.isMapping {
            reportDuplicateKeys(frame.pairs)
            content = .mapping(frame.pairs)
        } else {
            content = .sequence(frame.items)
        }
        try add(YAMLNode(content, mark: frame.mark, endMark: endMark), anchor: frame.anchor, count: 0)
    }

    private mutating func add(_ node: YAMLNode, anchor: String?, count added: Int) throws(YAMLProblem) {
        try count(added, at: node.mark)
        if let anchor { anchors[anchor] = node }
        guard let top = stack.last else {
            root = node
            return
        }
        guard top.isMapping else {
            top.items.append(node)
            return
        }
        if let key = top.pendingKey {
            top.pairs.append(YAMLPair(key: key, value: node))
            top.pendingKey = nil
        } else {
            if node.scalar == nil {
                problems.append(YAMLProblem("a mapping key must be a plain string, not a list or a mapping", at: node.mark))
            }
            top.pendingKey = node
        }
    }

    private mutating func count(_ added: Int, at mark: Mark) throws(YAMLProblem) {
        nodeCount += added
        guard nodeCount <= limits.maxNodes else {
            throw YAMLProblem(
                "the document expands to more than \(limits.maxNodes) nodes (aliases included); refusing to read it",
                at: mark)
        }
    }

    private mutating func reportDuplicateKeys(_ pairs: [YAMLPair]) {
        var seen: [String: Mark] = [:]
        for pair in pairs {
            guard let key = pair.key.scalar?.value else { continue }
            if let first = seen[key] {
                problems.append(YAMLProblem(
                    "duplicate key \"\(key)\" (first defined at line \(first.line), column \(first.column))",
                    at: pair.key.mark))
            } else {
                seen[key] = pair.key.mark
            }
        }
    }

    private static func style(_ style: yaml_scalar_style_t) -> YAMLScalar.Style {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: .literal
        case YAML_FOLDED_SCALAR_STYLE: .folded
        default: .plain
        }
    }

    private func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?, length: Int) -> String? {
        guard let pointer else { return nil }
        return String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
    }

    private func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }
}
