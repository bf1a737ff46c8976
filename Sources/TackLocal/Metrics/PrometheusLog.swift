/// Reads Prometheus's own log (logfmt lines: `ts=… level=error msg="…" err="…"`) to say why it
/// stopped.
enum PrometheusLog {
    /// The message and error of the last `level=error` line of `text`, such as
    /// `Error loading config (--config.file=…): parsing YAML file …: scrape timeout greater than
    /// scrape interval`; or the last lines when there is none.
    static func failure(in text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        if let line = lines.last(where: { $0.contains("level=error") }) {
            let fields = values(in: line)
            let parts = [fields["msg"], fields["err"]].compactMap { $0 }.filter { !$0.isEmpty }
            if !parts.isEmpty { return parts.joined(separator: ": ") }
        }
        return lines.suffix(5).joined(separator: "\n")
    }

    /// The `key=value` and `key="quoted \"value\""` pairs of one logfmt line.
    static func values(in line: Substring) -> [String: String] {
        var result: [String: String] = [:]
        var index = line.startIndex
        while index < line.endIndex {
            while index < line.endIndex, line[index] == " " { index = line.index(after: index) }
            guard let equals = line[index...].firstIndex(of: "="), !line[index..<equals].contains(" ") else {
                index = line[index...].firstIndex(of: " ") ?? line.endIndex
                continue
            }
            let key = String(line[index..<equals])
            index = line.index(after: equals)
            var value = ""
            if index < line.endIndex, line[index] == "\"" {
                index = line.index(after: index)
                while index < line.endIndex, line[index] != "\"" {
                    if line[index] == "\\", line.index(after: index) < line.endIndex {
                        index = line.index(after: index)
                    }
                    value.append(line[index])
                    index = line.index(after: index)
                }
                if index < line.endIndex { index = line.index(after: index) }
            } else {
                let end = line[index...].firstIndex(of: " ") ?? line.endIndex
                value = String(line[index..<end])
                index = end
            }
            result[key] = value
        }
        return result
    }
}
