/// The embedded Prometheus's configuration: one scrape job, `tack`, whose targets come from the
/// JSON files in a directory (file-based service discovery), scraped every second by default.
public struct PrometheusConfig: Sendable, Hashable {
    /// The job name every replica's series carry as `job`.
    public static let jobName = "tack"

    /// The directory whose `*.json` files list the targets (`FileSDTargets` writes them).
    public var targetsDirectory: String
    /// How often each target is scraped; also the rule evaluation interval.
    public var scrapeInterval: Duration
    /// How long one scrape may take; Prometheus requires at most `scrapeInterval`.
    public var scrapeTimeout: Duration
    /// How often Prometheus re-reads the target files besides watching them for changes.
    public var refreshInterval: Duration

    /// A configuration; the scrape timeout defaults to 80% of the interval.
    public init(
        targetsDirectory: String, scrapeInterval: Duration = .seconds(1), scrapeTimeout: Duration? = nil,
        refreshInterval: Duration = .seconds(1)
    ) {
        self.targetsDirectory = targetsDirectory
        self.scrapeInterval = scrapeInterval
        self.scrapeTimeout = scrapeTimeout ?? scrapeInterval * 0.8
        self.refreshInterval = refreshInterval
    }

    /// The configuration file's text (YAML).
    public func render() -> String {
        let directory = targetsDirectory.hasSuffix("/") ? String(targetsDirectory.dropLast()) : targetsDirectory
        let pattern = Self.globEscaped(directory) + "/*.json"
        return """
            # Written by tack at every start of the embedded Prometheus; edits are overwritten.
            global:
              scrape_interval: \(Self.text(scrapeInterval))
              scrape_timeout: \(Self.text(scrapeTimeout))
              evaluation_interval: \(Self.text(scrapeInterval))
            scrape_configs:
              - job_name: \(Self.quoted(Self.jobName))
                metrics_path: "/metrics"
                scheme: "http"
                file_sd_configs:
                  - files: [\(Self.quoted(pattern))]
                    refresh_interval: \(Self.text(refreshInterval))

            """
    }

    /// A duration as Prometheus writes it, in the largest unit that keeps it exact (`1s`,
    /// `800ms`, `6h`); Prometheus counts in whole milliseconds, so less rounds up to 1ms.
    static func text(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let milliseconds = max(1, seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
        for (unit, size) in [("h", Int64(3_600_000)), ("m", 60_000), ("s", 1000)] where milliseconds % size == 0 {
            return "\(milliseconds / size)\(unit)"
        }
        return "\(milliseconds)ms"
    }

    /// A YAML double-quoted scalar.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case _ where scalar.value < 0x20 || scalar.value == 0x7f:
                result += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// The path with Go's glob metacharacters `?`, `[` and `\` escaped, so only the final `*.json`
    /// is a pattern. (A `*` in the directory cannot be escaped: Prometheus rejects the path.)
    static func globEscaped(_ path: String) -> String {
        var result = ""
        for character in path {
            if character == "?" || character == "[" || character == "\\" { result.append("\\") }
            result.append(character)
        }
        return result
    }
}
