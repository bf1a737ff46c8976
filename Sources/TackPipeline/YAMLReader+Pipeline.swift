import TackCore
import TackYAML

extension YAMLReader {
    /// The node as a duration; zero is accepted only when `allowsZero`.
    func duration(_ node: YAMLNode, what: String, allowsZero: Bool = false) -> Duration? {
        let example = "a duration such as 30s, 5m or 1h30m"
        guard let scalar = node.scalar, !scalar.isNull else {
            log.error("\(what) must be \(example); got \(describe(node))", at: node.mark)
            return nil
        }
        if scalar.isPlain, Double(scalar.value) != nil {
            log.error("\(what) must be \(example); got \(scalar.value), which has no unit (ms, s, m or h)", at: node.mark)
            return nil
        }
        guard let duration = DurationText.parse(scalar.value) else {
            log.error("\(what) must be \(example); got \(scalar.value.quoted)", at: node.mark)
            return nil
        }
        guard duration <= DurationText.maximum else {
            log.error("\(what) must be at most \(DurationText.format(DurationText.maximum)); got \(scalar.value)", at: node.mark)
            return nil
        }
        guard allowsZero || duration > .zero else {
            log.error("\(what) must be longer than 0s", at: node.mark)
            return nil
        }
        return duration
    }

    /// The node as an image reference.
    func image(_ node: YAMLNode, what: String) -> ImageRef? {
        guard let text = string(node, what: what) else { return nil }
        do {
            return try ImageRef(parsing: text)
        } catch {
            log.error("invalid image reference \(text.quoted): \(error.message)", at: node.mark(atOffset: error.offset))
            return nil
        }
    }

    /// The node as a name: lowercase letters, digits and '-', starting with a letter, at most `maxLength`.
    func name(_ node: YAMLNode, what: String, maxLength: Int = 63) -> String? {
        guard let text = string(node, what: what) else { return nil }
        guard text.count <= maxLength else {
            log.error("\(what) \(text.quoted) is \(text.count) characters long; at most \(maxLength) are allowed", at: node.mark)
            return nil
        }
        let allowed = text.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
        guard allowed, text.first!.isLetter, text.last != "-" else {
            log.error("\(what) \(text.quoted) must be lowercase letters, digits and '-', start with a letter, "
                      + "not end with '-', and have at most \(maxLength) characters", at: node.mark)
            return nil
        }
        return text
    }
}
