extension [UInt8] {
    /// Whether the bytes hold a `-----BEGIN ` line, as every PEM file does.
    var containsPEMBlock: Bool {
        let marker = Array("-----BEGIN ".utf8)
        guard count >= marker.count else { return false }
        return indices.dropLast(marker.count - 1).contains { self[$0..<$0 + marker.count].elementsEqual(marker) }
    }
}
