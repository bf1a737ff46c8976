extension WordPieceTokenizer {
    /// The model input for one text: token ids and which of them are real (1) or padding (0).
    public struct Encoding: Equatable, Sendable {
        /// Token ids, starting with [CLS] and ending with [SEP] before any padding.
        public var ids: [Int]
        /// 1 for each real token, 0 for each [PAD].
        public var attentionMask: [Int]

        /// Creates an encoding; `ids` and `attentionMask` have the same length.
        public init(ids: [Int], attentionMask: [Int]) {
            precondition(ids.count == attentionMask.count, "ids and attention mask differ in length")
            self.ids = ids
            self.attentionMask = attentionMask
        }

        /// This encoding filled out with `paddingID` (mask 0) to `length`; unchanged when already as long.
        public func padded(to length: Int, with paddingID: Int) -> Encoding {
            let padding = max(0, length - ids.count)
            return Encoding(
                ids: ids + Array(repeating: paddingID, count: padding),
                attentionMask: attentionMask + Array(repeating: 0, count: padding)
            )
        }
    }
}
