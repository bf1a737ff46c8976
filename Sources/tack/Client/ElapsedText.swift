import Foundation

/// Durations as the watch and tables show them.
enum ElapsedText {
    /// `45s`, `4m10s`, `2h05m`: how long something has run.
    static func format(_ seconds: TimeInterval) -> String {
        let total = max(0, Int(seconds.rounded(.down)))
        if total < 60 { return "\(total)s" }
        if total < 3600 { return "\(total / 60)m" + String(format: "%02ds", total % 60) }
        return "\(total / 3600)h" + String(format: "%02dm", total % 3600 / 60)
    }

    /// `45s`, `4m`, `3h`, `2d`: an age, as kubectl prints it.
    static func age(_ seconds: TimeInterval) -> String {
        let total = max(0, Int(seconds.rounded(.down)))
        switch total {
        case ..<60: return "\(total)s"
        case ..<3600: return "\(total / 60)m"
        case ..<86400: return "\(total / 3600)h"
        default: return "\(total / 86400)d"
        }
    }

    /// `2025-11-22 16:40:01`, in UTC.
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(dateSeparator: .dash, dateTimeSeparator: .space, timeZone: .gmt)
            .year().month().day().time(includingFractionalSeconds: false))
    }
}
