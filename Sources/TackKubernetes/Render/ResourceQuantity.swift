/// Kubernetes resource quantities as Tack writes them: whole cores, GiB and MiB in the form the API
/// server stores them (`2`, `1Gi`, `512Mi`), so they read back as written.
enum ResourceQuantity {
    /// Memory or storage: whole gibibytes as `<n>Gi`, whole mebibytes as `<n>Mi`, other amounts as plain bytes.
    static func memory(bytes: Int) -> String {
        guard bytes > 0 else { return "\(bytes)" }
        if bytes % (1 << 30) == 0 { return "\(bytes >> 30)Gi" }
        return bytes % (1 << 20) == 0 ? "\(bytes >> 20)Mi" : "\(bytes)"
    }

    /// CPU: whole cores as `<n>`, other amounts in thousandths of a core as `<n>m`.
    static func cpu(millicores: Int) -> String {
        millicores > 0 && millicores % 1000 == 0 ? "\(millicores / 1000)" : "\(millicores)m"
    }
}
