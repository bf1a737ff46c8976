import TackCore
import TackYAML

/// Decodes and validates a pipeline, reporting every problem to the reader's log. References to
/// accounts are checked when an accounts file is given.
final class PipelineDecoder {
    let reader: YAMLReader
    let accounts: AccountsFile?
    /// The accounts file's path, for messages.
    let accountsPath: String

    static let stageTypes = ["deploy", "monitor", "rollback", "manualJudgment"]
    static let limitKeys = ["failureLimit", "inconclusiveLimit", "consecutiveErrorLimit", "minRequests"]
    static let maxApplicationLength = 50

    /// Custom metrics of the monitor stage, by name; decoded before any condition.
    var customMetrics: [String: MetricUnit] = [:]
    /// Accounts already deployed, with the mark of their first mention and its stage.
    var deployed: [String: (mark: Mark, stage: Int)] = [:]
    /// Account name nodes in deploy order, for the scope checks.
    var deployedNodes: [(name: String, node: YAMLNode)] = []
    /// Whether a cluster's account is missing, unreadable or not in the accounts file.
    var accountsUnresolved = false
    /// The monitor's written scope nodes, checked once all accounts are known.
    var scopeNodes: [YAMLNode] = []
    /// Analysis steps that rely on the rollback stage's conditions.
    var analysisStepsWithoutConditions: [Mark] = []

    init(reader: YAMLReader, accounts: AccountsFile?, accountsPath: String) {
        self.reader = reader
        self.accounts = accounts
        self.accountsPath = accountsPath
    }

    var log: DiagnosticLog { reader.log }

    func decode(_ root: YAMLNode) -> Pipeline? {
        let refusing = ["stages": "stages go under pipeline, e.g. pipeline: {stages: [...]}"]
        guard let top = reader.mapping(root, what: "the pipeline file", keys: ["application", "pipeline"], refusing: refusing)
        else { return nil }
        let application = top.required("application").flatMap {
            reader.name($0, what: "application", maxLength: Self.maxApplicationLength)
        }
        // A top-level stages key was reported with where it goes; "pipeline is missing" would repeat it.
        guard let body = top.has("stages") ? top["pipeline"] : top.required("pipeline"),
              let map = reader.mapping(body, what: "pipeline", keys: ["stages", "description"]) else { return nil }
        let description = map["description"].flatMap { reader.string($0, what: "description") }
        guard let stagesNode = map.required("stages"), let items = reader.sequence(stagesNode, what: "stages") else {
            return nil
        }
        let stages = decodeStages(items, in: stagesNode)
        guard let application, !log.hasErrors else { return nil }
        return Pipeline(application: application, description: description, stages: fillDefaultScopes(stages))
    }

    private func decodeStages(_ items: [YAMLNode], in stagesNode: YAMLNode) -> [Stage] {
        // The monitor goes first, so conditions anywhere may name its custom metrics.
        var monitors: [Int: MonitorStage] = [:]
        for (index, item) in items.enumerated() where Self.type(of: item) == "monitor" {
            if let monitor = decodeStage(item, index: index), case .monitor(let m) = monitor.kind {
                monitors[index] = m
            }
        }
        var stages: [Stage] = []
        var firstOfType: [String: Mark] = [:]
        for (index, item) in items.enumerated() {
            if let type = Self.type(of: item), type == "monitor" || type == "rollback" {
                let typeMark = Self.typeNode(of: item)!.mark
                if let first = firstOfType[type] {
                    log.error("a pipeline has one \(type) stage at most; the first is at line \(first.line)", at: typeMark)
                    continue
                }
                firstOfType[type] = typeMark
            }
            if let monitor = monitors[index] {
                stages.append(Stage(name: Self.stageName(item), kind: .monitor(monitor)))
            } else if Self.type(of: item) != "monitor", let stage = decodeStage(item, index: index) {
                stages.append(stage)
            }
        }
        checkStageSet(stages, items: items, stagesNode: stagesNode)
        checkScopes(stages)
        return stages
    }

    private func decodeStage(_ node: YAMLNode, index: Int) -> Stage? {
        guard let typeNode = Self.typeNode(of: node) else {
            if let typo = node.mapping?.first(where: { Suggestion.closest(to: $0.key.scalar?.value ?? "", in: ["type"]) != nil }) {
                log.error("unknown key \"\(typo.key.scalar!.value)\" in a stage; did you mean \"type\"?", at: typo.key.mark)
            } else if node.mapping != nil {
                log.error("missing required key \"type\" in a stage; types: \(Self.stageTypes.joined(separator: ", "))", at: node.mark)
            } else {
                log.error("a stage must be a mapping with a type; got \(reader.describe(node))", at: node.mark)
            }
            return nil
        }
        guard let type = reader.choice(typeNode, what: "stage type", from: Self.stageTypes) else { return nil }
        let name = Self.stageName(node)
        switch type {
        case "deploy":
            guard let map = stageMapping(node, type: type, keys: ["clusters"]) else { return nil }
            return decodeDeploy(map, index: index).map { Stage(name: name, kind: .deploy($0)) }
        case "monitor":
            guard let map = stageMapping(node, type: type, keys: ["metricsAccount", "scopes", "interval", "window", "metrics"] + Self.limitKeys)
            else { return nil }
            return decodeMonitor(map).map { Stage(name: name, kind: .monitor($0)) }
        case "rollback":
            guard let map = stageMapping(node, type: type, keys: ["trigger", "conditions"]) else { return nil }
            return decodeRollback(map).map { Stage(name: name, kind: .rollback($0)) }
        default:
            guard let map = stageMapping(node, type: type, keys: ["instructions", "timeout", "onTimeout"]) else { return nil }
            return decodeManualJudgment(map).map { Stage(name: name, kind: .manualJudgment($0)) }
        }
    }

    private func stageMapping(_ node: YAMLNode, type: String, keys: [String]) -> YAMLMapping? {
        guard let map = reader.mapping(node, what: "a \(type) stage", keys: ["type", "name"] + keys) else { return nil }
        if let name = map["name"] { _ = reader.string(name, what: "stage name") }
        return map
    }

    private func checkStageSet(_ stages: [Stage], items: [YAMLNode], stagesNode: YAMLNode) {
        let types = items.compactMap(Self.type(of:))
        // A stage without a known type is reported already, and may be the stage found missing below.
        let allTyped = items.allSatisfy { Self.stageTypes.contains(Self.type(of: $0) ?? "") }
        if !types.contains("deploy") && allTyped {
            log.error("the pipeline has no deploy stage; add one with type: deploy and its clusters", at: stagesNode.mark)
        }
        let rollbackItem = items.first { Self.type(of: $0) == "rollback" }
        let hasConditions = stages.contains { if case .rollback(let r) = $0.kind { !r.conditions.isEmpty } else { false } }
        if let rollbackItem, !types.contains("monitor") && allTyped {
            log.error("a rollback stage needs a monitor stage to measure its conditions; add one with type: monitor and a metricsAccount",
                      at: rollbackItem.mark)
        }
        if !hasConditions && rollbackItem == nil && allTyped {
            for mark in analysisStepsWithoutConditions {
                log.error("this analysis step has no conditions and there is no rollback stage to take them from; add conditions: [...]",
                          at: mark)
            }
        }
    }

    static func type(of node: YAMLNode) -> String? {
        typeNode(of: node)?.scalar?.value
    }

    static func typeNode(of node: YAMLNode) -> YAMLNode? {
        node.mapping?.first { $0.key.scalar?.value == "type" }?.value
    }

    static func stageName(_ node: YAMLNode) -> String? {
        node.mapping?.first { $0.key.scalar?.value == "name" }?.value.scalar?.value
    }
}
