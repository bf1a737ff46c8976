import Foundation
import TackCore
import Testing

@testable import TackLocal

@Suite("PrometheusConfig and FileSDTargets")
struct PrometheusConfigTests {
    static let promtool = "/usr/bin/promtool"
    static let hasPromtool = FileManager.default.isExecutableFile(atPath: promtool)

    static func replica(_ track: Track, _ version: String, _ index: Int, port: Int) -> ScrapeTarget {
        ScrapeTarget(
            app: "recommender", account: "local", track: track, version: version,
            replica: "recommender-\(track.rawValue)-\(index)", port: port)
    }

    @Test("the configuration scrapes every second through file discovery, and promtool accepts it",
          .enabled(if: hasPromtool))
    func configIsValid() async throws {
        try await withMetricsDirectory { directory in
            let config = PrometheusConfig(targetsDirectory: directory + "/targets")
            let text = config.render()
            #expect(text.contains("  scrape_interval: 1s\n  scrape_timeout: 800ms\n  evaluation_interval: 1s\n"))
            #expect(text.contains("  - job_name: \"tack\"\n    metrics_path: \"/metrics\"\n"))
            #expect(text.contains("      - files: [\"\(directory)/targets/*.json\"]\n        refresh_interval: 1s\n"))
            try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/prometheus.yml"))
            try FileManager.default.createDirectory(atPath: config.targetsDirectory, withIntermediateDirectories: true)
            try FileSDTargets.write([], to: config.targetsDirectory + "/replicas.json")
            let output = try await ChildProcess.run(Self.promtool, ["check", "config", directory + "/prometheus.yml"], check: false)
            #expect(output.status == 0)
            #expect(output.stdout.contains("SUCCESS") && !output.stdout.contains("WARNING"), "\(output.stdout)\(output.stderr)")
        }
    }

    @Test("durations are written in Prometheus's units, exactly")
    func durationText() {
        #expect(PrometheusConfig.text(.seconds(1)) == "1s")
        #expect(PrometheusConfig.text(.milliseconds(800)) == "800ms")
        #expect(PrometheusConfig.text(.milliseconds(1500)) == "1500ms")
        #expect(PrometheusConfig.text(.seconds(120)) == "2m")
        #expect(PrometheusConfig.text(.seconds(6 * 3600)) == "6h")
        #expect(PrometheusConfig.text(.microseconds(10)) == "1ms")
        #expect(PrometheusConfig(targetsDirectory: "/t", scrapeInterval: .seconds(5)).scrapeTimeout == .seconds(4))
    }

    @Test("a directory with quotes and glob characters is quoted, and only *.json is a pattern")
    func quotingAndEscaping() {
        let text = PrometheusConfig(targetsDirectory: "/tmp/a \"b\"/[x]?/").render()
        #expect(text.contains(#"      - files: ["/tmp/a \"b\"/\\[x]\\?/*.json"]"#))
    }

    @Test("the target file has one group per replica with its labels, in the same order whatever the input order")
    func targetFileShape() throws {
        let targets = [
            Self.replica(.stable, "v1", 0, port: 9001), Self.replica(.canary, "v2", 0, port: 9003),
            Self.replica(.stable, "v1", 1, port: 9002),
        ]
        let bytes = FileSDTargets.render(targets)
        #expect(FileSDTargets.render(targets.reversed()) == bytes)
        #expect(FileSDTargets.render(targets + targets) == bytes)
        let groups = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [[String: Any]])
        #expect(groups.map { $0["targets"] as? [String] } == [["127.0.0.1:9001"], ["127.0.0.1:9002"], ["127.0.0.1:9003"]])
        #expect(groups.last?["labels"] as? [String: String] == [
            "app": "recommender", "account": "local", "track": "canary", "version": "v2", "replica": "recommender-canary-0",
        ])
        #expect(FileSDTargets.render([]) == Array("[\n\n]\n".utf8))
    }

    @Test("an unchanged set of targets is not rewritten, a changed one replaces the file whole")
    func targetFileWrites() async throws {
        try await withMetricsDirectory { directory in
            let path = directory + "/replicas.json"
            let one = [Self.replica(.stable, "v1", 0, port: 9001)]
            let two = one + [Self.replica(.canary, "v2", 0, port: 9002)]
            #expect(try FileSDTargets.write(two, to: path))
            let inode = try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int
            #expect(try !FileSDTargets.write(two.reversed(), to: path))
            #expect(try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int == inode)
            #expect(try FileSDTargets.write(one, to: path))
            #expect(try Array(Data(contentsOf: URL(fileURLWithPath: path))) == FileSDTargets.render(one))
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["replicas.json"])
            #expect(throws: LocalRuntimeError.io(path: directory + "/missing/replicas.json", errno: ENOENT)) {
                try FileSDTargets.write(one, to: directory + "/missing/replicas.json")
            }
        }
    }

    @Test("Prometheus's own service discovery reads the target file and labels the replicas", .enabled(if: hasPromtool))
    func serviceDiscoveryReadsTargets() async throws {
        try await withMetricsDirectory { directory in
            let config = PrometheusConfig(targetsDirectory: directory + "/targets")
            try FileManager.default.createDirectory(atPath: config.targetsDirectory, withIntermediateDirectories: true)
            try Data(config.render().utf8).write(to: URL(fileURLWithPath: directory + "/prometheus.yml"))
            let targets = [Self.replica(.stable, "v1", 0, port: 9001), Self.replica(.canary, "v2", 0, port: 9002)]
            try FileSDTargets.write(targets, to: config.targetsDirectory + "/replicas.json")
            let output = try await ChildProcess.run(
                Self.promtool, ["check", "service-discovery", "--timeout=1s", directory + "/prometheus.yml", "tack"], check: false)
            let found = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]])
            let labels = found.compactMap { $0["labels"] as? [String: String] }.sorted { $0["instance"]! < $1["instance"]! }
            #expect(labels.count == 2)
            #expect(labels.last?["track"] == "canary" && labels.last?["version"] == "v2")
            #expect(labels.last?["app"] == "recommender" && labels.last?["account"] == "local")
            #expect(labels.last?["instance"] == "127.0.0.1:9002" && labels.last?["job"] == "tack")
        }
    }

    @Test("why Prometheus stopped is read from the error line of its log")
    func logFailure() {
        let log = """
            ts=2026-11-22T15:10:17.300Z caller=main.go:500 level=info msg="Starting Prometheus"
            ts=2026-11-22T15:10:17.328Z caller=main.go:469 level=error msg="Error loading config (--config.file=bad.yml)" file=/tmp/bad.yml err="parsing YAML file bad.yml: a \\"quoted\\" word"

            """
        #expect(PrometheusLog.failure(in: log) == #"Error loading config (--config.file=bad.yml): parsing YAML file bad.yml: a "quoted" word"#)
        #expect(PrometheusLog.failure(in: "one\ntwo\n") == "one\ntwo")
    }
}

/// Runs `body` with a fresh temporary directory and removes it afterwards.
func withMetricsDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tack-metrics-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    return try await body(directory)
}
