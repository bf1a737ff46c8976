import TackCore
/// Renders a plan as the text `tack plan` prints.
public enum PlanRenderer {
    /// The plan as indented text, one step per line.
    public static func text(_ plan: Plan, pipelinePath: String) -> String {
        var lines = ["Plan for \(plan.application) (\(pipelinePath), accounts from \(plan.accountsFile))", ""]
        for stage in plan.stages {
            let title = stage.name.map { " \"\($0)\"" } ?? ""
            lines.append("Stage \(stage.number): \(stage.type)\(title): \(stage.summary)")
            for account in stage.accounts ?? [] {
                let namespace = account.namespace.map { ", namespace \($0)" } ?? ""
                let watched = account.watched ? "" : "; not watched by the monitor"
                lines.append("  \(account.account) (\(account.kind), scope \(account.scope)\(namespace)): \(account.strategy) of \(account.image) "
                             + "to \(account.targetSize) \(replicas(account.targetSize)), traffic by \(account.traffic)\(watched)")
                lines.append("    objects: \(account.objects.joined(separator: ", "))")
                for step in account.steps {
                    lines.append("    \(step.number). \(step.description)")
                }
            }
            for metric in (stage.metrics ?? []) + (stage.conditions ?? []) {
                // "latency > 2s (latency.p99)": name the metric when the text abbreviates it.
                let written = metric.text.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }
                lines.append("  \(metric.text)\(written == metric.metric ? "" : " (\(metric.metric))")")
                for query in metric.queries {
                    lines.append("    \(query.account): \(query.promql)")
                }
            }
            lines.append("")
        }
        lines.append("Notes:")
        lines += plan.notes.map { "  - \($0)" }
        return lines.joined(separator: "\n") + "\n"
    }
}
