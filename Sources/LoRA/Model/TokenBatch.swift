/// Sequences of token ids padded to one length, with the mask of real tokens: the encoder's input.
public struct TokenBatch: Sendable, Equatable {
    /// The number of sequences.
    public let count: Int
    /// The padded length of every sequence.
    public let length: Int
    /// Token ids, `count × length`, row-major.
    public let ids: [Int32]
    /// 1 for a real token, 0 for padding, `count × length`.
    public let mask: [Float]

    /// A batch of encodings, padded to the longest of them.
    public init(_ encodings: [WordPieceTokenizer.Encoding], paddingID: Int = 0) {
        let length = encodings.map(\.ids.count).max() ?? 0
        var ids: [Int32] = []
        var mask: [Float] = []
        ids.reserveCapacity(encodings.count * length)
        mask.reserveCapacity(encodings.count * length)
        for encoding in encodings {
            let padded = encoding.padded(to: length, with: paddingID)
            ids.append(contentsOf: padded.ids.map { Int32($0) })
            mask.append(contentsOf: padded.attentionMask.map { Float($0) })
        }
        self.count = encodings.count
        self.length = length
        self.ids = ids
        self.mask = mask
    }

    /// The number of real (unpadded) tokens.
    public var tokenCount: Int { mask.reduce(0) { $0 + Int($1) } }
}
