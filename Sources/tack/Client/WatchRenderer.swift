import Foundation
import TackCore
import TackEngine

/// The text `tack watch` draws (and `tack get APP` prints): a header, a block per account with its
/// step, traffic, replicas and metrics, then the latest events. A pure function of its inputs,
/// so it can be checked against golden files.
enum WatchRenderer {
    /// How many events the view shows.
    static let eventCount = 8
    /// Cells of the weight bar.
    static let barWidth = 20
    /// Recent values in a metric's sparkline.
    static let sparklineLength = 20

    /// The lines of the view at `now`, each cut to `width` characters (no limit when `width` is 0).
    static func render(view: ExecutionView, events: [EngineEvent], now: Date, width: Int) -> [String] {
        var lines = header(view, now: now)
        for account in view.accounts {
            lines.append("")
            lines += block(account)
        }
        if !events.isEmpty {
            lines.append("")
            lines.append("events")
            lines += eventLines(Array(events.suffix(eventCount)))
        }
        return width > 0 ? lines.map { cut($0, to: width) } : lines
    }

    /// `svc  revision 3  execution 7  progressing  stage 1/2  elapsed 4m10s`, and why it waits or ended.
    static func header(_ view: ExecutionView, now: Date) -> [String] {
        let end = view.isTerminal ? view.updatedAt : now
        var lines = ["\(view.app)  revision \(view.revision)  execution \(view.id)  \(view.phase.rawValue)  "
                     + "stage \(view.stage)/\(view.stages)  elapsed \(ElapsedText.format(end.timeIntervalSince(view.createdAt)))"]
        if view.phase == .paused, let reason = view.pauseReason { lines.append("paused: \(reason)") }
        if let cause = view.cause {
            lines.append("cause: \(cause)")
        } else if view.isTerminal, let message = view.message, !message.isEmpty {
            lines.append("reason: \(message)")
        }
        return lines
    }

    /// One account: its phase and step, then traffic, replicas, metrics and what it waits for.
    static func block(_ account: AccountView) -> [String] {
        let title = "\(account.account)  \(account.strategy)  \(account.phase.rawValue)"
        var lines: [String]
        switch account.phase {
        case .pending: lines = [title + "  stage \(account.stage)"]
        case .skipped: lines = [title]
        default:
            lines = [title + "  " + step(account), "  weight    \(bar(account.weight))"]
            if !account.tracks.isEmpty {
                lines.append("  replicas  " + account.tracks.map { "\($0.track.rawValue) \($0.ready)/\($0.desired)" }.joined(separator: "  "))
            }
            lines += metricLines(account.metrics)
        }
        if let waitingFor = account.waitingFor, !waitingFor.isEmpty { lines.append("  waiting for \(waitingFor)") }
        if let error = account.error, !error.isEmpty { lines.append("  error: \(error)") }
        return lines
    }

    /// `step 4/8: setWeight 30%`; `steps done (8/8)` past the last one.
    static func step(_ account: AccountView) -> String {
        let count = account.steps.count
        if count == 0 { return "no steps yet" }
        if account.step >= count { return "steps done (\(count)/\(count))" }
        return "step \(account.step + 1)/\(count): \(account.steps[max(account.step, 0)])"
    }

    /// `[██████░░░░░░░░░░░░░░]  30%`.
    static func bar(_ weight: Int) -> String {
        let clamped = min(max(weight, 0), 100)
        let filled = Int((Double(clamped) * Double(barWidth) / 100).rounded())
        let percent = String(clamped)
        return "[" + String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled) + "]"
            + String(repeating: " ", count: 4 - percent.count) + percent + "%"
    }

    /// `✓ errorRate < 5%  1.2%  limit 5%  ▁▂▁▃  successful`, columns aligned across the account's metrics.
    static func metricLines(_ metrics: [MetricView]) -> [String] {
        let rows = metrics.map { metric -> [String] in
            let verdict = MetricText.verdict(metric.phase)
            let values = metric.points.suffix(sparklineLength).map(\.value)
            return [verdict.marker + " " + metric.condition, MetricText.format(values.last ?? nil, metric: metric.metric),
                    "limit " + (metric.limit.map { MetricText.format($0, metric: metric.metric) } ?? "-"),
                    MetricText.sparkline(Array(values)), verdict.text]
        }
        guard let columns = rows.first?.count else { return [] }
        let widths = (0..<columns).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            "  " + row.enumerated().map { index, cell in
                index == columns - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
    }

    /// `16:40:01  aws-eu-central-1  step 2 of 8: setWeight 20%`, the accounts padded to one width.
    static func eventLines(_ events: [EngineEvent]) -> [String] {
        let width = events.map { ($0.account ?? "-").count }.max() ?? 0
        return events.map { event in
            let time = event.time.formatted(.iso8601.time(includingFractionalSeconds: false))
            return "  \(time)  " + (event.account ?? "-").padding(toLength: width, withPad: " ", startingAt: 0) + "  " + event.message
        }
    }

    /// `line` cut to `width` characters, ending with `…` when cut.
    static func cut(_ line: String, to width: Int) -> String {
        line.count <= width ? line : String(line.prefix(max(width - 1, 0))) + "…"
    }
}
