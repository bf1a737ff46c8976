import Foundation

/// A number of bytes written as plain bytes (`1073741824`) or a number with a decimal or binary
/// unit (`1.5GB`, `512MiB`, `2GiB`).
struct ByteSize: Equatable, Sendable, CustomStringConvertible {
    /// The number of bytes.
    let bytes: Int

    /// The units accepted after the number, each with its multiplier, matched case-insensitively.
    static let units: [(name: String, multiplier: Double)] = [
        ("B", 1), ("KB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12),
        ("KiB", 1024), ("MiB", 1_048_576), ("GiB", 1_073_741_824), ("TiB", 1_099_511_627_776),
    ]

    /// The sentence that names the accepted forms, for usage errors.
    static let acceptedForms = "write plain bytes (2147483648) or a number and a unit (512MiB, 2GiB, 1.5GB; units "
        + units.map(\.name).joined(separator: ", ") + ")"

    init(bytes: Int) {
        self.bytes = bytes
    }

    /// Parses `text`; nil when it is not a positive size in one of the accepted forms.
    init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let number = trimmed.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        let unit = trimmed.dropFirst(number.count).trimmingCharacters(in: .whitespaces)
        guard !number.isEmpty, let value = Double(number), value.isFinite, value > 0 else { return nil }
        let multiplier: Double
        if unit.isEmpty {
            multiplier = 1
        } else if let match = Self.units.first(where: { $0.name.lowercased() == unit.lowercased() }) {
            multiplier = match.multiplier
        } else {
            return nil
        }
        let bytes = (value * multiplier).rounded(.down)
        guard bytes >= 1, bytes < Double(Int.max) else { return nil }
        self.bytes = Int(bytes)
    }

    /// The size to three significant digits in the largest binary unit that keeps it at least 1: `1.04 GiB`, `612 MiB`, `900 B`.
    var description: String {
        let names = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var index = 0
        while value >= 1024, index < names.count - 1 {
            value /= 1024
            index += 1
        }
        if index == 0 { return "\(bytes) B" }
        let decimals = value >= 100 ? 0 : value >= 10 ? 1 : 2
        var text = String(format: "%.\(decimals)f", value)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return "\(text) \(names[index])"
    }
}
