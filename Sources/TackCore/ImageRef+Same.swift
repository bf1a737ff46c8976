extension ImageRef {
    /// Whether two references name the same bytes: equal digests when both have one, else equal references.
    public static func sameImage(_ a: ImageRef, _ b: ImageRef) -> Bool {
        if let left = a.digest, let right = b.digest { return left == right }
        return a == b
    }
}
