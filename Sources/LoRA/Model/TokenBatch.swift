/// Sequences of token ids packed end to end without padding: the encoder's input.
///
/// Every row of the encoder's activations is a real token, so a batch of short and long texts
/// costs only its tokens; sequence `i` is rows `offsets[i] ..< offsets[i] + lengths[i]`.
public struct TokenBatch: Sendable, Equatable {
    /// Token ids of every sequence, one after the other.
    public let ids: [Int32]
    /// The number of tokens in each sequence.
    public let lengths: [Int]
    /// The first row of each sequence.
    public let offsets: [Int]

    private init(ids: [Int32], lengths: [Int], offsets: [Int]) {
        self.ids = ids
        self.lengths = lengths
        self.offsets = offsets
    }

    /// A batch of the real tokens (attention mask 1) of `encodings`, in order.
    public init(_ encodings: [WordPieceTokenizer.Encoding]) {
        var ids: [Int32] = []
        var lengths: [Int] = []
        var offsets: [Int] = []
        ids.reserveCapacity(encodings.reduce(0) { $0 + $1.ids.count })
        for encoding in encodings {
            offsets.append(ids.count)
            for (id, mask) in zip(encoding.ids, encoding.attentionMask) where mask != 0 { ids.append(Int32(id)) }
            lengths.append(ids.count - offsets[offsets.count - 1])
        }
        self.ids = ids
        self.lengths = lengths
        self.offsets = offsets
    }

    /// The number of sequences.
    public var count: Int { lengths.count }

    /// The number of tokens, which is the number of rows of every activation.
    public var tokenCount: Int { ids.count }

    /// The length of the longest sequence.
    public var longest: Int { lengths.max() ?? 0 }

    /// The rows of sequence `index`.
    func rows(of index: Int) -> Range<Int> { offsets[index]..<(offsets[index] + lengths[index]) }
}

/// A run of whole sequences of a batch, encoded on one thread.
struct BatchShard {
    /// The run's sequences as a batch of their own.
    let batch: TokenBatch
    /// Which of the whole batch's sequences they are.
    let sequences: Range<Int>
    /// The whole batch's row that the shard's row 0 is.
    let firstRow: Int
}

extension TokenBatch {
    /// At most `count` runs of consecutive sequences with about equal numbers of tokens, covering
    /// the batch in order; none is empty unless the batch is.
    func shards(_ count: Int) -> [BatchShard] {
        let wanted = max(1, min(count, self.count))
        var bounds = [0]
        for shard in 1..<wanted {
            // The next shard starts at the first sequence whose middle lies past its share of the
            // tokens, leaving at least one sequence to each shard before and after it.
            let target = tokenCount * shard / wanted
            var start = bounds[shard - 1] + 1
            while start < self.count - (wanted - shard), offsets[start] + lengths[start] / 2 <= target { start += 1 }
            bounds.append(start)
        }
        bounds.append(self.count)
        return zip(bounds, bounds.dropFirst()).map { start, end in
            let first = start < self.count ? offsets[start] : tokenCount
            let last = end < self.count ? offsets[end] : tokenCount
            let batch = TokenBatch(
                ids: Array(ids[first..<last]), lengths: Array(lengths[start..<end]),
                offsets: offsets[start..<end].map { $0 - first })
            return BatchShard(batch: batch, sequences: start..<end, firstRow: first)
        }
    }
}
