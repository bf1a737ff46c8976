/// One file of the controller's web page, embedded in the binary so that the page needs nothing
/// from the disk or the internet at run time.
public struct DashboardAsset: Sendable {
    /// The file's name, as served under `/assets/` (the page itself is served at `/`).
    public let name: String
    /// The file's bytes.
    public let bytes: [UInt8]
    /// The `Content-Type` it is served with.
    public let contentType: String
    /// A strong validator of the bytes, for `ETag` and `If-None-Match`.
    public let etag: String

    init(name: String, bytes: [UInt8], contentType: String) {
        self.name = name
        self.bytes = bytes
        self.contentType = contentType
        self.etag = "\"\(Self.fingerprint(bytes))\""
    }

    /// FNV-1a over the bytes, in hex: enough to tell two builds' files apart.
    static func fingerprint(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
