import Foundation

/// The top-level members of a JSON object as byte ranges, so some can be taken out of the text while
/// every other byte keeps its line and column.
struct JSONObjectMembers {
    /// One `"key": value` member.
    struct Member {
        /// The key, unescaped.
        var key: String
        /// From the key's opening quote to the value's last byte.
        var range: Range<Int>
        /// The comma after the member, nil for the last one.
        var comma: Int?
    }

    /// The text scanned.
    let bytes: [UInt8]
    /// The members in written order.
    private(set) var members: [Member] = []

    /// Scans `bytes`, which must be one JSON object that a strict parser has already accepted; nil otherwise.
    init?(_ bytes: [UInt8]) {
        self.bytes = bytes
        var index = skipBlanks(from: bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0)
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return nil }
        index = skipBlanks(from: index + 1)
        while index < bytes.count, bytes[index] != UInt8(ascii: "}") {
            let keyStart = index
            guard bytes[index] == UInt8(ascii: "\""), let keyEnd = stringEnd(from: index) else { return nil }
            guard let key = Self.unescape(Array(bytes[keyStart..<keyEnd])) else { return nil }
            index = skipBlanks(from: keyEnd)
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
            guard let valueEnd = valueEnd(from: skipBlanks(from: index + 1)) else { return nil }
            index = skipBlanks(from: valueEnd)
            var comma: Int?
            if index < bytes.count, bytes[index] == UInt8(ascii: ",") {
                comma = index
                index = skipBlanks(from: index + 1)
            }
            members.append(Member(key: key, range: keyStart..<valueEnd, comma: comma))
        }
        guard index < bytes.count else { return nil }
    }

    /// The text with the members whose keys are in `keys` (and the commas they leave dangling) turned to
    /// spaces; line breaks stay, and a multi-byte character becomes one space, so positions after them hold.
    func removing(_ keys: Set<String>) -> [UInt8] {
        let keptIndices = members.indices.filter { !keys.contains(members[$0].key) }
        var blank = Array(repeating: false, count: bytes.count)
        for (index, member) in members.enumerated() {
            let removed = keys.contains(member.key)
            if removed { member.range.forEach { blank[$0] = true } }
            if let comma = member.comma, removed || index == keptIndices.last { blank[comma] = true }
        }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        for (index, byte) in bytes.enumerated() {
            guard blank[index] else {
                result.append(byte)
                continue
            }
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                result.append(byte)
            } else if byte & 0xC0 != 0x80 {
                result.append(UInt8(ascii: " "))
            }
        }
        return result
    }

    /// The members not in `keys` as a compact object, one `key: value` text after another.
    func compacted(removing keys: Set<String>) -> String {
        let kept = members.filter { !keys.contains($0.key) }.map { String(decoding: bytes[$0.range], as: UTF8.self) }
        return "{" + kept.joined(separator: ", ") + "}"
    }

    private func skipBlanks(from start: Int) -> Int {
        var index = start
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        return index
    }

    /// The index after the closing quote of the string opening at `start`.
    private func stringEnd(from start: Int) -> Int? {
        var index = start + 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""): return index + 1
            default: index += 1
            }
        }
        return nil
    }

    /// The index after the value starting at `start`: a string, a nested object or array, or a literal.
    private func valueEnd(from start: Int) -> Int? {
        guard start < bytes.count else { return nil }
        switch bytes[start] {
        case UInt8(ascii: "\""): return stringEnd(from: start)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0, index = start
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    guard let end = stringEnd(from: index) else { return nil }
                    index = end
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return index + 1 }
                default: break
                }
                index += 1
            }
            return nil
        default:
            var index = start
            while index < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "}"), 0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) {
                index += 1
            }
            return index
        }
    }

    /// A JSON string literal's text.
    private static func unescape(_ literal: [UInt8]) -> String? {
        guard literal.contains(UInt8(ascii: "\\")) else { return String(decoding: literal.dropFirst().dropLast(), as: UTF8.self) }
        return try? JSONDecoder().decode(String.self, from: Data(literal))
    }
}
