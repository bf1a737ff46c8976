import Foundation

/// A job's identifier: 20 lowercase hex digits, the creation time in milliseconds then random bits,
/// so identifiers sort by creation; it is also the name of the job's output directory.
public struct JobID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The hex text.
    public let rawValue: String

    /// The identifier `text` names, or nil when it is not 20 lowercase hex digits (so it is safe as a file name).
    public init?(_ text: String) {
        guard text.utf8.count == 20, text.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        else { return nil }
        rawValue = text
    }

    /// A new identifier for a job created at `date`, greater than `previous` when that is given.
    static func make(at date: Date, after previous: JobID?) -> JobID {
        let milliseconds = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        var candidate = hex(milliseconds & 0xFFFF_FFFF_FFFF, digits: 12) + hex(UInt64(UInt32.random(in: 0...UInt32.max)), digits: 8)
        if let previous, candidate <= previous.rawValue {
            // Same millisecond (or a clock step back): count up from the previous one.
            let next = UInt64(previous.rawValue.suffix(8), radix: 16)! &+ 1
            candidate = String(previous.rawValue.prefix(12)) + hex(next & 0xFFFF_FFFF, digits: 8)
            if next > 0xFFFF_FFFF { candidate = hex(UInt64(previous.rawValue.prefix(12), radix: 16)! + 1, digits: 12) + "00000000" }
        }
        return JobID(candidate)!
    }

    public var description: String { rawValue }

    public static func < (lhs: JobID, rhs: JobID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = JobID(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a job id: \(text)"))
        }
        self = id
    }

    public func encode(to encoder: any Swift.Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    private static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
