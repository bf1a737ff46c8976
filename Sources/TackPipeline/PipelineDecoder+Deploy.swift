import TackCore
import TackYAML

extension PipelineDecoder {
    static let clusterKeys = ["account", "container", "targetSize", "strategy", "canary", "bluegreen"]
    static let stepKeys = ["setWeight", "pause", "analysis"]

    func decodeDeploy(_ map: YAMLMapping, index: Int) -> DeployStage? {
        guard let node = map.required("clusters"), let items = reader.sequence(node, what: "clusters") else {
            accountsUnresolved = true
            return nil
        }
        guard !items.isEmpty else {
            log.error("a deploy stage needs at least one cluster", at: node.mark)
            return nil
        }
        let clusters = items.compactMap { decodeCluster($0, stage: index) }
        return clusters.count == items.count ? DeployStage(clusters: clusters) : nil
    }

    private func decodeCluster(_ node: YAMLNode, stage: Int) -> ClusterDeployment? {
        guard let map = reader.mapping(node, what: "a deploy cluster", keys: Self.clusterKeys) else {
            accountsUnresolved = true
            return nil
        }
        let account = map.required("account").flatMap { decodeAccountReference($0, stage: stage) }
        if map["account"] == nil { accountsUnresolved = true }
        let image = map.required("container").flatMap { reader.image($0, what: "container") }
        let targetSize = map.required("targetSize").flatMap { reader.integer($0, what: "targetSize", in: 1...Int.max) }
        let strategyName = map.required("strategy").flatMap { reader.choice($0, what: "strategy", from: ["canary", "bluegreen"]) }
        // Each strategy's options sit under a key named after it.
        for other in ["canary", "bluegreen"] where strategyName != nil && other != strategyName {
            if let keyNode = map.keyNode(other) {
                log.error("\(other) options apply only to strategy: \(other); this cluster uses strategy: \(strategyName!)", at: keyNode.mark)
            }
        }
        var strategy: Strategy?
        switch strategyName {
        case "canary":
            strategy = map["canary"].map { decodeCanary($0) } ?? .canary(.default)
        case "bluegreen":
            strategy = map["bluegreen"].map { decodeBlueGreen($0, targetSize: targetSize) } ?? .blueGreen(BlueGreenOptions())
        default:
            break
        }
        guard let account, let image, let targetSize, let strategy else { return nil }
        return ClusterDeployment(account: account, image: image, targetSize: targetSize, strategy: strategy)
    }

    private func decodeAccountReference(_ node: YAMLNode, stage: Int) -> String? {
        guard let name = reader.string(node, what: "account") else {
            accountsUnresolved = true
            return nil
        }
        if let first = deployed[name] {
            let place = first.stage == stage ? "in this stage" : "by an earlier deploy stage"
            log.error("account \(name.quoted) is already deployed \(place) (line \(first.mark.line), column \(first.mark.column))", at: node.mark)
            return nil
        }
        deployed[name] = (node.mark, stage)
        if let accounts, accounts.account(named: name) == nil {
            let known = accounts.accounts.map(\.name)
            log.error(missingReference("account", name, known: known), at: node.mark)
            accountsUnresolved = true
            return nil
        }
        deployedNodes.append((name, node))
        return name
    }

    /// "X is not in the accounts file F; known: a, b (did you mean a?)".
    func missingReference(_ what: String, _ name: String, known: [String]) -> String {
        var message = "\(what) \(name.quoted) is not in the accounts file \(accountsPath)"
        message += known.isEmpty ? ", which defines none" : "; known: \(known.listed())"
        if let suggestion = Suggestion.closest(to: name, in: known) {
            message += " (did you mean \"\(suggestion)\"?)"
        }
        return message
    }

    private func decodeCanary(_ node: YAMLNode) -> Strategy? {
        guard let map = reader.mapping(node, what: "canary options", keys: ["steps"]) else { return nil }
        guard let stepsNode = map["steps"] else { return .canary(.default) }
        guard let items = reader.sequence(stepsNode, what: "canary.steps") else { return nil }
        guard !items.isEmpty else {
            log.error("canary.steps is empty; leave it out to use the default steps (10%, 25%, 50%, 100% with 1m pauses)",
                      at: stepsNode.mark)
            return nil
        }
        var lastWeight: (weight: Int, mark: Mark)?
        var steps: [CanaryStep] = []
        for item in items {
            guard let step = decodeStep(item) else { continue }
            if case .setWeight(let weight) = step {
                let mark = item.mapping!.first!.value.mark
                if let last = lastWeight, weight <= last.weight {
                    log.error("setWeight \(weight) must be greater than the setWeight before it (\(last.weight) at line \(last.mark.line)); weights only go up",
                              at: mark)
                }
                lastWeight = (weight, mark)
            }
            steps.append(step)
        }
        return steps.count == items.count ? .canary(CanaryOptions(steps: steps)) : nil
    }

    private func decodeStep(_ node: YAMLNode) -> CanaryStep? {
        guard let pairs = node.mapping, pairs.count == 1, let key = pairs[0].key.scalar?.value, Self.stepKeys.contains(key) else {
            return reportBadStep(node)
        }
        let value = pairs[0].value
        switch key {
        case "setWeight":
            return reader.integer(value, what: "setWeight", in: 1...100).map(CanaryStep.setWeight)
        case "pause":
            return decodePause(value)
        default:
            return decodeAnalysisStep(value).map(CanaryStep.analysis)
        }
    }

    private func reportBadStep(_ node: YAMLNode) -> CanaryStep? {
        let expected = "setWeight: N, pause: DURATION (or {}), or analysis: {...}"
        guard let pairs = node.mapping, !pairs.isEmpty else {
            log.error("a canary step must be one of \(expected); got \(reader.describe(node))", at: node.mark)
            return nil
        }
        if pairs.count > 1 {
            let keys = pairs.compactMap { $0.key.scalar?.value }.map { "\"\($0)\"" }.joined(separator: " and ")
            log.error("a canary step has exactly one key (one of setWeight, pause, analysis); this one has \(keys); write each as its own list item",
                      at: pairs[1].key.mark)
        } else if let key = pairs[0].key.scalar?.value {
            var message = "unknown canary step \(key.quoted); a step is one of \(expected)"
            if let suggestion = Suggestion.closest(to: key, in: Self.stepKeys) {
                message = "unknown canary step \(key.quoted); did you mean \"\(suggestion)\"?"
            }
            log.error(message, at: pairs[0].key.mark)
        }
        return nil
    }

    private func decodePause(_ node: YAMLNode) -> CanaryStep? {
        if node.scalar?.isNull == true {
            log.error("pause needs a duration such as 30s, or {} to wait for tack promote", at: node.mark)
            return nil
        }
        guard node.mapping != nil else {
            return reader.duration(node, what: "pause").map { CanaryStep.pause($0) }
        }
        guard let map = reader.mapping(node, what: "pause", keys: ["duration"]) else { return nil }
        guard let duration = map["duration"] else { return .pause(nil) }
        return reader.duration(duration, what: "pause duration").map { CanaryStep.pause($0) }
    }

    private func decodeAnalysisStep(_ node: YAMLNode) -> AnalysisStep? {
        guard let map = reader.mapping(node, what: "an analysis step", keys: ["interval", "count", "conditions"]) else {
            return nil
        }
        let interval = map["interval"].flatMap { minimumSecond(reader.duration($0, what: "interval"), $0, what: "interval") }
        let count = map["count"].flatMap { reader.integer($0, what: "count", in: 1...1000) }
        var conditions: [Condition] = []
        if let node = map["conditions"] {
            guard let parsed = decodeConditions(node) else { return nil }
            conditions = parsed
        } else {
            analysisStepsWithoutConditions.append(node.mark)
        }
        if map["interval"] != nil && interval == nil || map["count"] != nil && count == nil { return nil }
        return AnalysisStep(interval: interval, count: count ?? AnalysisStep.defaultCount, conditions: conditions)
    }

    private func decodeBlueGreen(_ node: YAMLNode, targetSize: Int?) -> Strategy? {
        let keys = ["previewReplicas", "autoPromote", "scaleDownDelay"]
        guard let map = reader.mapping(node, what: "bluegreen options", keys: keys) else { return nil }
        var options = BlueGreenOptions()
        var valid = true
        if let node = map["previewReplicas"] {
            options.previewReplicas = reader.integer(node, what: "previewReplicas", in: 1...Int.max)
            if let preview = options.previewReplicas, let targetSize, preview > targetSize {
                log.error("previewReplicas must be at most targetSize (\(targetSize)); got \(preview)", at: node.mark)
                options.previewReplicas = nil
            }
            valid = valid && options.previewReplicas != nil
        }
        if let node = map["autoPromote"] {
            let value = reader.boolean(node, what: "autoPromote")
            options.autoPromote = value ?? true
            valid = valid && value != nil
        }
        if let node = map["scaleDownDelay"] {
            let value = reader.duration(node, what: "scaleDownDelay", allowsZero: true)
            options.scaleDownDelay = value ?? .zero
            valid = valid && value != nil
        }
        return valid ? .blueGreen(options) : nil
    }

    /// The duration when it is at least one second; reports it otherwise.
    func minimumSecond(_ duration: Duration?, _ node: YAMLNode, what: String) -> Duration? {
        guard let duration else { return nil }
        guard duration >= .seconds(1) else {
            log.error("\(what) must be at least 1s; got \(DurationText.format(duration))", at: node.mark)
            return nil
        }
        return duration
    }
}
