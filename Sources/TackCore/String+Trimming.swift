extension StringProtocol {
    /// The text without leading and trailing `character`s.
    public func trimming(_ character: Character) -> String {
        guard let first = firstIndex(where: { $0 != character }), let last = lastIndex(where: { $0 != character }) else { return "" }
        return String(self[first...last])
    }
}
