/// Bounds that make hostile input fail fast instead of eating time and memory.
public struct YAMLLimits: Sendable, Hashable {
    /// Largest file accepted, in bytes.
    public var maxBytes: Int
    /// Deepest nesting of sequences and mappings accepted.
    public var maxDepth: Int
    /// Most nodes a document may stand for, with every alias expanded.
    public var maxNodes: Int

    /// Limits.
    public init(maxBytes: Int, maxDepth: Int, maxNodes: Int) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxNodes = maxNodes
    }

    /// 4 MiB, 64 levels, 1,000,000 nodes: far above any real pipeline, far below harm.
    public static let `default` = YAMLLimits(maxBytes: 4 << 20, maxDepth: 64, maxNodes: 1_000_000)
}
