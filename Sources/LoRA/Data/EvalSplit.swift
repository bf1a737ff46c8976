/// How `eval_split` divides the pairs, the same on every run whatever the seed: of n pairs,
/// m = ⌈n × share⌉ are held out for evaluation, spread evenly through the file: pair i (from 0) is
/// held out when ⌊(i + 1)·m / n⌋ > ⌊i·m / n⌋, so when m divides n it is every (n/m)-th pair, the last included.
public enum EvalSplit {
    /// How many of `pairCount` pairs `share` holds out: ⌈pairCount × share⌉, and 0 for a share of 0.
    public static func evalCount(pairCount: Int, share: Double) -> Int {
        guard pairCount > 0, share > 0 else { return 0 }
        let exact = Double(pairCount) * share
        // Tolerates the rounding of decimal shares: 10 × 0.7 is 7.000000000000001 in binary.
        let count = Int((exact - exact * 1e-9).rounded(.up))
        return min(max(count, 1), pairCount)
    }

    /// The items split into those to train on and those held out, each in their original order.
    public static func split<Item>(_ items: [Item], share: Double) -> (train: [Item], eval: [Item]) {
        let n = items.count, m = evalCount(pairCount: n, share: share)
        var train: [Item] = [], eval: [Item] = []
        train.reserveCapacity(n - m)
        eval.reserveCapacity(m)
        for (i, item) in items.enumerated() {
            if (i + 1) * m / n > i * m / n { eval.append(item) } else { train.append(item) }
        }
        return (train, eval)
    }
}
