/// One training example: a sentence and another that should embed close to it.
public struct SentencePair: Sendable, Hashable {
    /// The sentence whose neighbour is sought, such as a query.
    public var anchor: String
    /// The sentence that belongs with the anchor, such as the passage that answers it.
    public var positive: String

    /// A pair.
    public init(anchor: String, positive: String) {
        self.anchor = anchor
        self.positive = positive
    }
}
