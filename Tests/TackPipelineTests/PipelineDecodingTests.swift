import Foundation
import TackCore
import TackPipeline
import Testing

/// Decodes YAML text as a pipeline against the fixture accounts.
func decodePipeline(_ text: String) throws -> (Pipeline?, [String]) {
    let accounts = try #require(TackFile.load(path: Corpus.accounts).decodeAccounts().0)
    let file = TackFile.parse(Array(text.utf8), path: "test.yaml")
    let (pipeline, diagnostics) = file.decodePipeline(accounts: accounts, accountsPath: "accounts.yaml")
    return (pipeline, diagnostics.map { "\($0.line):\($0.column): \($0.severity.rawValue): \($0.message)" })
}

@Suite("pipeline decoding")
struct PipelineDecodingTests {
    static let example = """
        application: lora-training-platform
        pipeline:
          stages:
            - type: deploy
              clusters:
                - account: aws-eu-central-1
                  container: lora-scripts:v1.2
                  targetSize: 3
                  strategy: canary
                - account: gcp-us-west1
                  container: lora-scripts:v1.2
                  targetSize: 2
                  strategy: bluegreen
            - type: monitor
              metricsAccount: prometheus-prod
              scopes: [aws, gcp]
            - type: rollback
              trigger: automatic
              conditions: ["errorRate > 5%", "latency > 2s"]
        """

    @Test("the issue's example decodes to the model a user expects, defaults filled in")
    func example() throws {
        let (decoded, diagnostics) = try decodePipeline(Self.example)
        #expect(diagnostics == [])
        let pipeline = try #require(decoded)
        let image = try ImageRef(parsing: "lora-scripts:v1.2")
        let expected = Pipeline(application: "lora-training-platform", stages: [
            Stage(kind: .deploy(DeployStage(clusters: [
                ClusterDeployment(account: "aws-eu-central-1", image: image, targetSize: 3, strategy: .canary(.default)),
                ClusterDeployment(account: "gcp-us-west1", image: image, targetSize: 2, strategy: .blueGreen(BlueGreenOptions())),
            ]))),
            Stage(kind: .monitor(MonitorStage(metricsAccount: "prometheus-prod", scopes: ["aws", "gcp"]))),
            Stage(kind: .rollback(RollbackStage(trigger: .automatic, conditions: [
                Condition(metric: .errorRate, op: .greater, limit: .absolute(0.05), text: "errorRate > 5%"),
                Condition(metric: .latency(.p99), op: .greater, limit: .absolute(2), text: "latency > 2s"),
            ]))),
        ])
        #expect(pipeline == expected)
    }

    @Test("the example written as JSON decodes to the same pipeline")
    func json() throws {
        let json = """
            {"application": "lora-training-platform", "pipeline": {"stages": [
              {"type": "deploy", "clusters": [
                {"account": "aws-eu-central-1", "container": "lora-scripts:v1.2", "targetSize": 3, "strategy": "canary"},
                {"account": "gcp-us-west1", "container": "lora-scripts:v1.2", "targetSize": 2, "strategy": "bluegreen"}]},
              {"type": "monitor", "metricsAccount": "prometheus-prod", "scopes": ["aws", "gcp"]},
              {"type": "rollback", "trigger": "automatic", "conditions": ["errorRate > 5%", "latency > 2s"]}]}}
            """
        let (fromJSON, diagnostics) = try decodePipeline(json)
        #expect(diagnostics == [])
        #expect(fromJSON == (try decodePipeline(Self.example)).0)
    }

    @Test("a monitor without scopes watches every deployed account's scope")
    func defaultScopes() throws {
        let text = Self.example.replacingOccurrences(of: "      scopes: [aws, gcp]\n", with: "")
        let (pipeline, diagnostics) = try decodePipeline(text)
        #expect(diagnostics == [])
        #expect(pipeline?.monitor?.scopes == ["aws", "gcp"])
    }

    @Test("every problem in a file is reported in one run, sorted by position")
    func everyProblem() throws {
        let text = Self.example
            .replacingOccurrences(of: "targetSize: 3", with: "targetSize: 0")
            .replacingOccurrences(of: "strategy: bluegreen", with: "strategy: blugreen")
            .replacingOccurrences(of: "latency > 2s", with: "latency > 2%")
        let (pipeline, diagnostics) = try decodePipeline(text)
        #expect(pipeline == nil)
        #expect(diagnostics == [
            "8:23: error: targetSize must be an integer >= 1; got 0",
            "13:21: error: strategy must be one of canary, bluegreen; got \"blugreen\" (did you mean \"bluegreen\"?)",
            "19:50: error: condition \"latency > 2%\": latency.p99 is a duration: write its limit in ms or s, e.g. 2s",
        ])
    }

    @Test("canary steps keep their order and pause forms")
    func steps() throws {
        let text = Self.example.replacingOccurrences(of: "          strategy: canary\n", with: """
                      strategy: canary
                      canary:
                        steps:
                          - setWeight: 5
                          - pause: {}
                          - pause: {duration: 1m30s}
                          - analysis: {count: 2, interval: 5s, conditions: ["errorRate >= 1.5%"]}
                          - setWeight: 100

            """)
        let (pipeline, diagnostics) = try decodePipeline(text)
        #expect(diagnostics == [])
        let cluster = try #require(pipeline?.clusters.first)
        let gate = AnalysisStep(interval: .seconds(5), count: 2, conditions: [
            Condition(metric: .errorRate, op: .greaterOrEqual, limit: .absolute(0.015), text: "errorRate >= 1.5%"),
        ])
        #expect(cluster.strategy == .canary(CanaryOptions(steps: [
            .setWeight(5), .pause(nil), .pause(.seconds(90)), .analysis(gate), .setWeight(100),
        ])))
    }
}
