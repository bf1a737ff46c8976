import TackCore
import Foundation
import TackPipeline
import Testing

/// Plans of the example pipelines against golden files in Fixtures/golden. Run with
/// TACK_UPDATE_GOLDEN=1 to rewrite them after an intended change, then review the diff.
@Suite("plan")
struct PlanTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    private func plan(_ pipeline: String) throws -> Plan {
        let path = Self.repository.appendingPathComponent("pipelines/\(pipeline)").path
        var validator = Validator(explicitAccounts: Self.repository.appendingPathComponent("pipelines/tack.yaml").path, environment: [:])
        let loaded = validator.load(pipeline: path)
        let accounts = try #require(loaded.accounts)
        let decoded = try #require(loaded.pipeline)
        return PlanBuilder(pipeline: decoded, accounts: accounts, accountsPath: "pipelines/tack.yaml").build()
    }

    private func checkGolden(_ actual: String, _ name: String) throws {
        let url = Corpus.root.appendingPathComponent("golden/\(name)")
        if ProcessInfo.processInfo.environment["TACK_UPDATE_GOLDEN"] == "1" {
            try actual.write(to: url, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(actual == expected, "plan differs from \(name); rerun with TACK_UPDATE_GOLDEN=1 and review the diff")
    }

    @Test("the plan text of each example pipeline matches its golden file", arguments: ["lora-training-platform", "local-demo"])
    func text(_ name: String) throws {
        let text = PlanRenderer.text(try plan("\(name).yaml"), pipelinePath: "pipelines/\(name).yaml")
        try checkGolden(text, "plan-\(name).txt")
    }

    @Test("the plan JSON of the example matches its golden file and decodes back")
    func json() throws {
        let plan = try plan("lora-training-platform.yaml")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(plan)
        try checkGolden(String(decoding: data, as: UTF8.self) + "\n", "plan-lora-training-platform.json")
        #expect(try JSONDecoder().decode(Plan.self, from: data) == plan)
    }

    @Test("the plan shows the PromQL the analysis runs, window written as the analysis writes it")
    func planQueriesAreTheAnalysisQueries() throws {
        let text = """
            application: svc
            pipeline:
              stages:
                - type: deploy
                  clusters: [{account: eks-prod, container: "svc:v2", targetSize: 2, strategy: canary}]
                - {type: monitor, metricsAccount: prometheus-prod, window: 1m30s,
                   metrics: [{name: depth, query: 'max(q{app="{{app}}"}[{{window}}])'}]}
                - {type: rollback, conditions: ["errorRate > 5%", "depth > 3"]}
            """
        let (pipeline, diagnostics) = try decodePipeline(text)
        #expect(diagnostics == [])
        let decoded = try #require(pipeline)
        let accounts = try #require(TackFile.load(path: Corpus.accounts).decodeAccounts().0)
        let plan = PlanBuilder(pipeline: decoded, accounts: accounts, accountsPath: "accounts.yaml").build()
        let conditions = try #require(plan.stages.last?.conditions)
        let selector = TrackSelector(app: "svc", account: "eks-prod", track: .canary, version: "v2")
        let window = PromQL.duration(.seconds(90))
        #expect(window == "90s")
        #expect(conditions.map { $0.queries.first?.promql } == [
            PromQL.errorRate(selector, window: window),
            #"max(q{app="svc"}[90s])"#,
        ])
    }

    @Test("on a Kubernetes account without a traffic router, weights become replica counts that keep targetSize serving")
    func replicaRatio() throws {
        let text = """
            application: svc
            pipeline:
              stages:
                - type: deploy
                  clusters:
                    - {account: eks-prod, container: "svc:v2", targetSize: 3, strategy: canary,
                       canary: {steps: [{setWeight: 10}, {setWeight: 50}, {setWeight: 100}]}}
            """
        let (pipeline, diagnostics) = try decodePipeline(text)
        #expect(diagnostics == [])
        let accounts = try #require(TackFile.load(path: Corpus.accounts).decodeAccounts().0)
        let plan = PlanBuilder(pipeline: try #require(pipeline), accounts: accounts, accountsPath: "accounts.yaml").build()
        let steps = try #require(plan.stages.first?.accounts?.first?.steps).filter { $0.action == "setWeight" }
        #expect(steps.map(\.newReplicas) == [1, 2, 3])
        #expect(steps.map(\.oldReplicas) == [2, 1, 0])
        #expect(steps.map(\.weight) == [33, 67, 100])
        #expect(steps[0].description == "setWeight 10%: canary 1 replica, stable 2; about 33% of traffic by replica ratio (asked 10%)")
        #expect(plan.stages.first?.accounts?.first?.objects
            == ["Deployment svc", "Deployment svc-canary", "Service svc-stable", "Service svc-canary", "Service svc"])
    }
}
