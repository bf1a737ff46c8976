import PrometheusExposition
import Foundation
import Testing
@testable import LoRAService

@Suite("service metrics")
struct ServiceMetricsTests {
    @Test("a small scenario is exposed as exactly this text")
    func golden() {
        let metrics = ServiceMetrics(version: "1.0.0", faults: .off)
        metrics.observeRequest(method: "POST", route: "/v1/jobs", code: 202, seconds: 0.02)
        metrics.jobFinished(outcome: .succeeded, seconds: 75)
        metrics.setQueueDepth(2)
        metrics.setRunning(1)
        metrics.setTraining(tokensPerSecond: 812.5, loss: 1.75)

        #expect(metrics.exposition() == """
            # HELP lora_build_info The trainer service's version and fault injection settings; always 1.
            # TYPE lora_build_info gauge
            lora_build_info{fault_error_rate="0",fault_latency="0s",version="1.0.0"} 1
            # HELP lora_http_request_duration_seconds Time taken to answer HTTP requests, by method and route.
            # TYPE lora_http_request_duration_seconds histogram
            lora_http_request_duration_seconds_bucket{le="0.005",method="POST",route="/v1/jobs"} 0
            lora_http_request_duration_seconds_bucket{le="0.01",method="POST",route="/v1/jobs"} 0
            lora_http_request_duration_seconds_bucket{le="0.025",method="POST",route="/v1/jobs"} 1
            lora_http_request_duration_seconds_bucket{le="0.05",method="POST",route="/v1/jobs"} 1
            lora_http_request_duration_seconds_bucket{le="0.1",method="POST",route="/v1/jobs"} 1
            lora_http_request_duration_seconds_bucket{le="0.25",method="POST",route="/v1/jobs"} 1
            lora_http_request_duration_seconds_bucket{le="0.5",method="POST",route="/v1/jobs"} 1
            lora_http_request_duration_seconds_bucket{le="1",method="POST",route="/v1/jobs"} 1
            lora_http_request_duration_seconds_bucket{le="2.5",method="POST",route="/v1/jobs"} 1
            lora_http_request_duration_seconds_bucket{le="5",method="POST",route="/v1/jobs"} 1
            lora_http_request_duration_seconds_bucket{le="10",method="POST",route="/v1/jobs"} 1
            lora_http_request_duration_seconds_bucket{le="+Inf",method="POST",route="/v1/jobs"} 1
            lora_http_request_duration_seconds_sum{method="POST",route="/v1/jobs"} 0.02
            lora_http_request_duration_seconds_count{method="POST",route="/v1/jobs"} 1
            # HELP lora_http_requests_total HTTP requests answered, by status code, method and route.
            # TYPE lora_http_requests_total counter
            lora_http_requests_total{code="202",method="POST",route="/v1/jobs"} 1
            # HELP lora_job_duration_seconds Time finished training jobs ran, from start to end.
            # TYPE lora_job_duration_seconds histogram
            lora_job_duration_seconds_bucket{le="1"} 0
            lora_job_duration_seconds_bucket{le="5"} 0
            lora_job_duration_seconds_bucket{le="15"} 0
            lora_job_duration_seconds_bucket{le="30"} 0
            lora_job_duration_seconds_bucket{le="60"} 0
            lora_job_duration_seconds_bucket{le="120"} 1
            lora_job_duration_seconds_bucket{le="300"} 1
            lora_job_duration_seconds_bucket{le="600"} 1
            lora_job_duration_seconds_bucket{le="1800"} 1
            lora_job_duration_seconds_bucket{le="3600"} 1
            lora_job_duration_seconds_bucket{le="+Inf"} 1
            lora_job_duration_seconds_sum 75
            lora_job_duration_seconds_count 1
            # HELP lora_jobs_running Training jobs running.
            # TYPE lora_jobs_running gauge
            lora_jobs_running 1
            # HELP lora_jobs_total Training jobs finished, by outcome (succeeded, failed, cancelled).
            # TYPE lora_jobs_total counter
            lora_jobs_total{outcome="cancelled"} 0
            lora_jobs_total{outcome="failed"} 0
            lora_jobs_total{outcome="succeeded"} 1
            # HELP lora_queue_depth Training jobs waiting in the queue.
            # TYPE lora_queue_depth gauge
            lora_queue_depth 2
            # HELP lora_train_loss Training loss at the last step.
            # TYPE lora_train_loss gauge
            lora_train_loss 1.75
            # HELP lora_train_tokens_per_second Training throughput at the last step of a running job, in tokens per second; 0 when idle.
            # TYPE lora_train_tokens_per_second gauge
            lora_train_tokens_per_second 812.5

            """)
    }

    @Test("histogram buckets are cumulative, upper bounds inclusive, ending with +Inf")
    func cumulativeBuckets() {
        let metrics = ServiceMetrics(version: "1.0.0", faults: .off)
        for seconds in [0.005, 0.007, 0.3, 20] {
            metrics.observeRequest(method: "GET", route: "/healthz", code: 200, seconds: seconds)
        }
        let lines = metrics.exposition().split(separator: "\n").filter { $0.contains("route=\"/healthz\"") }
        let buckets = lines.filter { $0.hasPrefix("lora_http_request_duration_seconds_bucket") }.map { $0.split(separator: " ").last! }
        #expect(buckets == ["1", "2", "2", "2", "2", "2", "3", "3", "3", "3", "3", "4"])
        #expect(lines.contains("lora_http_request_duration_seconds_bucket{le=\"+Inf\",method=\"GET\",route=\"/healthz\"} 4"))
        #expect(lines.contains("lora_http_request_duration_seconds_sum{method=\"GET\",route=\"/healthz\"} 20.312"))
        #expect(lines.contains("lora_http_request_duration_seconds_count{method=\"GET\",route=\"/healthz\"} 4"))
        #expect(lines.contains("lora_http_requests_total{code=\"200\",method=\"GET\",route=\"/healthz\"} 4"))
    }

    @Test("label values escape backslash, double quote and newline")
    func escaping() {
        let metrics = ServiceMetrics(version: "2.0 \"rc\"\\1\nx", faults: .off)
        metrics.observeRequest(method: "GET", route: "/a\\b\"c\"\nd", code: 404, seconds: 0.1)
        let text = metrics.exposition()
        #expect(text.contains(#"version="2.0 \"rc\"\\1\nx"} 1"#))
        #expect(text.contains(#"lora_http_requests_total{code="404",method="GET",route="/a\\b\"c\"\nd"} 1"#))
        // Every line is a comment or a sample: no raw newline leaked out of a label value.
        #expect(text.split(separator: "\n").allSatisfy { $0.hasPrefix("# ") || $0.hasPrefix("lora_") })
    }

    @Test("series are sorted by their label values, whatever the order they were seen in")
    func seriesOrder() {
        let metrics = ServiceMetrics(version: "1.0.0", faults: .off)
        for (method, route, code) in [("POST", "/v1/jobs", 500), ("GET", "/v1/jobs", 200), ("POST", "/v1/jobs", 202), ("DELETE", "/v1/jobs/{id}", 200)] {
            metrics.observeRequest(method: method, route: route, code: code, seconds: 0.01)
        }
        let counters = metrics.exposition().split(separator: "\n").filter { $0.hasPrefix("lora_http_requests_total{") }
        #expect(counters == [
            #"lora_http_requests_total{code="200",method="DELETE",route="/v1/jobs/{id}"} 1"#,
            #"lora_http_requests_total{code="200",method="GET",route="/v1/jobs"} 1"#,
            #"lora_http_requests_total{code="202",method="POST",route="/v1/jobs"} 1"#,
            #"lora_http_requests_total{code="500",method="POST",route="/v1/jobs"} 1"#,
        ])
        let counts = metrics.exposition().split(separator: "\n").filter { $0.hasPrefix("lora_http_request_duration_seconds_count") }
        #expect(counts.map { $0.split(separator: "\"")[1] } == ["DELETE", "GET", "POST"])
    }

    @Test("a fresh service shows every job outcome at 0 and idle gauges")
    func freshService() {
        let text = ServiceMetrics(version: "1.0.0", faults: .off).exposition()
        for outcome in ["cancelled", "failed", "succeeded"] {
            #expect(text.contains("lora_jobs_total{outcome=\"\(outcome)\"} 0\n"))
        }
        #expect(text.contains("lora_job_duration_seconds_count 0\n"))
        #expect(text.contains("lora_train_tokens_per_second 0\n"))
        #expect(text.contains("# TYPE lora_http_requests_total counter\n# HELP lora_job_duration_seconds"))
    }

    @Test("throughput drops to 0 when no job runs, and the last loss stays")
    func idleThroughput() {
        let metrics = ServiceMetrics(version: "1.0.0", faults: .off)
        metrics.setRunning(1)
        metrics.setTraining(tokensPerSecond: 950, loss: 0.5)
        metrics.setRunning(0)
        let text = metrics.exposition()
        #expect(text.contains("lora_train_tokens_per_second 0\n"))
        #expect(text.contains("lora_train_loss 0.5\n"))
        #expect(text.contains("lora_jobs_running 0\n"))
    }

    @Test("build info announces the fault settings")
    func buildInfoFaults() throws {
        let faults = try FaultInjection.fromEnvironment(["LORA_FAULT_ERROR_RATE": "30%", "LORA_FAULT_LATENCY": "uniform(100ms,2s)"])
        let text = ServiceMetrics(version: "1.0.0", faults: faults).exposition()
        #expect(text.contains(#"lora_build_info{fault_error_rate="0.3",fault_latency="uniform(100ms,2s)",version="1.0.0"} 1"#))
    }

    @Test("sample values are written so Prometheus parses them", arguments: [
        (3.0, "3"), (0.25, "0.25"), (1e-5, "1e-05"), (-0.0, "0"), (1e20, "1e+20"), (-2.5, "-2.5"),
        (Double.nan, "NaN"), (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"),
    ])
    func numbers(value: Double, text: String) {
        #expect(ExpositionWriter.number(value) == text)
    }

    @Test("updates from many tasks at once are all counted")
    func concurrentUpdates() async {
        let metrics = ServiceMetrics(version: "1.0.0", faults: .off)
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for _ in 0..<500 {
                        metrics.observeRequest(method: "GET", route: "/r\(task % 2)", code: 200, seconds: 0.001)
                        metrics.jobFinished(outcome: .failed, seconds: 2)
                    }
                }
            }
        }
        let text = metrics.exposition()
        #expect(text.contains(#"lora_http_requests_total{code="200",method="GET",route="/r0"} 2000"#))
        #expect(text.contains(#"lora_http_requests_total{code="200",method="GET",route="/r1"} 2000"#))
        #expect(text.contains("lora_jobs_total{outcome=\"failed\"} 4000\n"))
        #expect(text.contains("lora_job_duration_seconds_count 4000\n"))
    }

    @Test(
        "promtool accepts the exposition without a lint problem",
        .enabled(if: FileManager.default.isExecutableFile(atPath: Self.promtool), "promtool is missing: apt-get install prometheus")
    )
    func promtoolCheck() throws {
        let faults = try FaultInjection.fromEnvironment(["LORA_FAULT_ERROR_RATE": "0.125", "LORA_FAULT_LATENCY": "normal(1s,200ms)"])
        let metrics = ServiceMetrics(version: "1.0.0-\"dev\"\\x", faults: faults)
        metrics.observeRequest(method: "GET", route: "/v1/jobs/{id}", code: 200, seconds: 0.0123)
        metrics.observeRequest(method: "POST", route: "/v1/jobs\n\"x\"", code: 500, seconds: 12)
        metrics.jobFinished(outcome: .cancelled, seconds: 4000)
        metrics.setQueueDepth(3)
        metrics.setRunning(2)
        metrics.setTraining(tokensPerSecond: 1e-5, loss: .nan)

        let (status, output) = try Self.run(Self.promtool, ["check", "metrics"], input: metrics.exposition())
        #expect(status == 0, "promtool exited with \(status): \(output)")
        #expect(output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "promtool: \(output)")
    }

    static let promtool = "/usr/bin/promtool"

    /// Runs `path` with `input` on its standard input; its exit status and what it printed.
    static func run(_ path: String, _ arguments: [String], input: String) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stdout
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
