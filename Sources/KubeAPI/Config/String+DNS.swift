extension String {
    /// Whether the text is an RFC 1123 label, as namespace names are.
    var isDNSLabel: Bool {
        guard !isEmpty, utf8.count <= 63, first != "-", last != "-" else { return false }
        return utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "-")
        }
    }

    /// Whether the text is a DNS name (letters, digits, '-' and '.'), as a TLS server name must be.
    var isDNSName: Bool {
        !isEmpty && utf8.count <= 253 && utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
        }
    }
}
