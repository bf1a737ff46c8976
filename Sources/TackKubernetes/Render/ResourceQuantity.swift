/// Kubernetes resource quantities as Tack writes them.
enum ResourceQuantity {
    /// Memory: whole mebibytes as `<n>Mi`, other amounts as plain bytes.
    static func memory(bytes: Int) -> String {
        bytes > 0 && bytes % (1 << 20) == 0 ? "\(bytes >> 20)Mi" : "\(bytes)"
    }

    /// CPU in thousandths of a core: `500m`.
    static func cpu(millicores: Int) -> String { "\(millicores)m" }
}
