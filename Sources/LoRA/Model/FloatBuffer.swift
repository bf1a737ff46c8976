/// A heap block of Floats with a stable address, for passing to BLAS without copies or closures.
///
/// Immutable users (frozen weights) share one buffer across threads; activations are owned by
/// one training step at a time.
final class FloatBuffer: @unchecked Sendable {
    /// The number of Floats.
    let count: Int
    /// The first Float.
    let base: UnsafeMutablePointer<Float>
    /// The buffer this one is a view into, kept alive by it; nil when this one owns its memory.
    private let owner: FloatBuffer?
    /// The heap block `base` lies in, when this buffer owns its memory.
    private let block: UnsafeMutableRawPointer?

    /// `count` zeros.
    convenience init(zeros count: Int) {
        self.init(uninitialized: count)
        base.initialize(repeating: 0, count: count)
    }

    /// `count` Floats to be written before they are read (by a product with beta 0, a fill, a
    /// copy): skips zeroing memory that is overwritten at once.
    init(uninitialized count: Int) {
        // Starts on a cache line, so that vector loads of whole lines never straddle two. Aligned
        // by hand in a block 48 bytes larger: glibc's own aligned allocation splits blocks, and
        // the pieces it frees fragment the heap (40 MB more peak RSS in a training run).
        self.count = count
        block = .allocate(byteCount: max(count, 1) * MemoryLayout<Float>.stride + 48, alignment: 16)
        base = block!.alignedUp(toMultipleOf: 64).bindMemory(to: Float.self, capacity: max(count, 1))
        owner = nil
    }

    /// The `count` Floats of `owner` from `offset` on, shared, not copied.
    init(viewing owner: FloatBuffer, offset: Int, count: Int) {
        precondition(offset >= 0 && offset + count <= owner.count, "view outside its buffer")
        self.count = count
        base = owner.base + offset
        self.owner = owner
        block = nil
    }

    /// A copy of `values`.
    convenience init(_ values: [Float]) {
        self.init(uninitialized: values.count)
        values.withUnsafeBufferPointer { source in
            if let address = source.baseAddress { base.update(from: address, count: values.count) }
        }
    }

    deinit { block?.deallocate() }

    /// The values as an array.
    var array: [Float] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// Sets every Float to zero.
    func zero() { base.update(repeating: 0, count: count) }

    /// The Float at `index`.
    subscript(index: Int) -> Float {
        get { base[index] }
        set { base[index] = newValue }
    }
}
