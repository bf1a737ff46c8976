extension LocalImageManifest {
    /// The manifest as canonical JSON, the bytes an image's digest covers: one object with keys in
    /// byte order (`args`, `entrypoint`, `env`, `name`, `packages`, `readiness` when present, `user`,
    /// `writable`), `env` keys in byte order, array order kept, no whitespace, and strings escaped
    /// as RFC 8785 does: `\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, other controls below 0x20 as
    /// `\u00xx` (lowercase hex), everything else as raw UTF-8. Written by hand, not with
    /// JSONEncoder, so that the bytes never change with the Foundation version.
    public var canonicalJSON: [UInt8] {
        var fields: [(String, [UInt8])] = [
            ("args", Self.array(args)),
            ("entrypoint", Self.array(entrypoint)),
            ("env", Self.object(env.map { ($0.key, Self.string($0.value)) })),
            ("name", Self.string(name)),
            ("packages", Self.array(packages)),
            ("user", Self.string(user)),
            ("writable", Self.array(writable)),
        ]
        if let readiness { fields.append(("readiness", Self.string(readiness))) }
        return Self.object(fields)
    }

    private static func object(_ members: [(String, [UInt8])]) -> [UInt8] {
        let sorted = members.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
        var out: [UInt8] = [UInt8(ascii: "{")]
        for (index, member) in sorted.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out += string(member.0)
            out.append(UInt8(ascii: ":"))
            out += member.1
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    private static func array(_ values: [String]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out += string(value)
        }
        out.append(UInt8(ascii: "]"))
        return out
    }

    private static func string(_ value: String) -> [UInt8] {
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = [UInt8(ascii: "\"")]
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += Array("\\\"".utf8)
            case UInt8(ascii: "\\"): out += Array("\\\\".utf8)
            case 0x08: out += Array("\\b".utf8)
            case 0x0c: out += Array("\\f".utf8)
            case 0x0a: out += Array("\\n".utf8)
            case 0x0d: out += Array("\\r".utf8)
            case 0x09: out += Array("\\t".utf8)
            case 0..<0x20: out += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0x0f)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
        return out
    }
}
