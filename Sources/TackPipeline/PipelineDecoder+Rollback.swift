import TackCore
import TackYAML

extension PipelineDecoder {
    func decodeRollback(_ map: YAMLMapping) -> RollbackStage? {
        let trigger = map["trigger"].map {
            reader.choice($0, what: "trigger", from: RollbackStage.Trigger.allCases.map(\.rawValue))
                .flatMap(RollbackStage.Trigger.init(rawValue:))
        } ?? .automatic
        guard let node = map.required("conditions"), let conditions = decodeConditions(node) else { return nil }
        guard let trigger else { return nil }
        return RollbackStage(trigger: trigger, conditions: conditions)
    }

    func decodeConditions(_ node: YAMLNode) -> [Condition]? {
        guard let items = reader.sequence(node, what: "conditions") else { return nil }
        guard !items.isEmpty else {
            log.error("conditions is empty; write at least one, e.g. conditions: [\"errorRate > 5%\", \"latency > 2s\"]", at: node.mark)
            return nil
        }
        let parser = ConditionParser(customMetrics: customMetrics)
        var conditions: [Condition] = []
        for item in items {
            guard let text = reader.string(item, what: "a condition") else { continue }
            do {
                conditions.append(try parser.parse(text))
            } catch {
                log.error("condition \(text.quoted): \(error.message)", at: item.mark(atOffset: error.offset))
            }
        }
        return conditions.count == items.count ? conditions : nil
    }

    func decodeManualJudgment(_ map: YAMLMapping) -> ManualJudgmentStage? {
        var stage = ManualJudgmentStage()
        var valid = true
        if let node = map["instructions"] {
            stage.instructions = reader.string(node, what: "instructions")
            valid = valid && stage.instructions != nil
        }
        if let node = map["timeout"] {
            stage.timeout = reader.duration(node, what: "timeout")
            valid = valid && stage.timeout != nil
        }
        if let node = map["onTimeout"] {
            let action = reader.choice(node, what: "onTimeout", from: ManualJudgmentStage.TimeoutAction.allCases.map(\.rawValue))
                .flatMap(ManualJudgmentStage.TimeoutAction.init(rawValue:))
            stage.onTimeout = action ?? .rollback
            valid = valid && action != nil
            if !map.has("timeout") {
                log.error("onTimeout needs a timeout, e.g. timeout: 30m", at: map.keyNode("onTimeout")!.mark)
                valid = false
            }
        }
        return valid ? stage : nil
    }
}
