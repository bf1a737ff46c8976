/// One node of a YAML document with the place it was written.
public struct YAMLNode: Sendable {
    /// What the node holds.
    public enum Content: Sendable {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        case mapping([YAMLPair])
    }

    /// What the node holds.
    public var content: Content
    /// Where the node starts (for quoted scalars: the opening quote).
    public var mark: Mark
    /// Where the node ends (one past its last character).
    public var endMark: Mark
    /// How many nodes this node stands for, itself and aliases expanded included.
    public internal(set) var weight: Int

    /// A node; `weight` is derived from the content.
    public init(_ content: Content, mark: Mark, endMark: Mark) {
        self.content = content
        self.mark = mark
        self.endMark = endMark
        switch content {
        case .scalar: weight = 1
        case .sequence(let items): weight = items.reduce(1) { $0 + $1.weight }
        case .mapping(let pairs): weight = pairs.reduce(1) { $0 + $1.key.weight + $1.value.weight }
        }
    }

    /// The scalar, when this node is one.
    public var scalar: YAMLScalar? {
        if case .scalar(let s) = content { return s }
        return nil
    }

    /// The items, when this node is a sequence.
    public var sequence: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    /// The pairs in written order, when this node is a mapping.
    public var mapping: [YAMLPair]? {
        if case .mapping(let pairs) = content { return pairs }
        return nil
    }

    /// The mark of the character at `offset` inside a one-line scalar, or the node's mark when the
    /// source text does not map one-to-one onto the value (escapes, folding, several lines).
    public func mark(atOffset offset: Int) -> Mark {
        guard let scalar, mark.line == endMark.line else { return mark }
        let written = endMark.column - mark.column
        switch scalar.style {
        case .plain where written == scalar.value.count:
            return Mark(line: mark.line, column: mark.column + offset)
        case .singleQuoted, .doubleQuoted:
            guard written == scalar.value.count + 2 else { return mark }
            return Mark(line: mark.line, column: mark.column + 1 + offset)
        default:
            return mark
        }
    }
}

/// A key and its value in a mapping.
public struct YAMLPair: Sendable {
    /// The key node (a scalar in every valid Tack file).
    public var key: YAMLNode
    /// The value node.
    public var value: YAMLNode

    /// A pair.
    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}

/// A scalar's text and how it was written.
public struct YAMLScalar: Sendable, Hashable {
    /// How a scalar was written; quoted scalars are always strings.
    public enum Style: Sendable, Hashable {
        case plain, singleQuoted, doubleQuoted, literal, folded
    }

    /// The scalar's text after unescaping and folding.
    public var value: String
    /// How it was written.
    public var style: Style
    /// An explicit tag such as `tag:yaml.org,2002:str`, when one was written.
    public var tag: String?

    /// A scalar.
    public init(_ value: String, style: Style = .plain, tag: String? = nil) {
        self.value = value
        self.style = style
        self.tag = tag
    }

    /// Whether the scalar is written as plain text (so it may be a number, a boolean or null).
    public var isPlain: Bool { style == .plain && tag == nil }

    /// Whether the scalar is YAML's null (`null`, `~` or nothing, unquoted).
    public var isNull: Bool {
        isPlain && ["", "~", "null", "Null", "NULL"].contains(value)
    }
}
