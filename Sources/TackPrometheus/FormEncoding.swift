/// `application/x-www-form-urlencoded` bodies as Prometheus reads them.
enum FormEncoding {
    /// `name=value&…` with every byte outside `A-Z a-z 0-9 - . _ ~` percent-encoded as UTF-8
    /// (space is `%20`, never `+`, so no reader can misread it).
    static func encode(_ fields: [(name: String, value: String)]) -> String {
        fields.map { "\(percentEncode($0.name))=\(percentEncode($0.value))" }.joined(separator: "&")
    }

    /// `text` with every byte but the unreserved ones (RFC 3986 2.3) written as `%XX`.
    static func percentEncode(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(hex[Int(byte >> 4)])
                out.unicodeScalars.append(hex[Int(byte & 0x0F)])
            }
        }
        return out
    }
}
