import TackPipeline
import Testing

@Suite("accounts file decoding")
struct AccountsDecodingTests {
    /// The Kubernetes settings of each account in `text`, or the problems found.
    private func kubernetes(_ text: String) -> (settings: [String: KubernetesAccount], problems: [String]) {
        let (file, diagnostics) = TackFile.parse(Array(text.utf8), path: "tack.yaml").decodeAccounts()
        var settings: [String: KubernetesAccount] = [:]
        for account in file?.accounts ?? [] {
            if case .kubernetes(let kubernetes) = account.kind { settings[account.name] = kubernetes }
        }
        return (settings, diagnostics.map { $0.formatted(file: "tack.yaml") })
    }

    @Test("qps and burst of a Kubernetes account are read as written, and absent they leave the client's defaults")
    func qpsAndBurst() {
        let (settings, problems) = kubernetes("""
            accounts:
              - {name: eks-prod, kind: kubernetes, qps: 50, burst: 100}
              - {name: gke-prod, kind: kubernetes, qps: 0.5, burst: 1}
              - {name: aks-prod, kind: kubernetes}
            """)
        #expect(problems.isEmpty)
        #expect(settings["eks-prod"]?.qps == 50)
        #expect(settings["eks-prod"]?.burst == 100)
        #expect(settings["gke-prod"]?.qps == 0.5)
        #expect(settings["gke-prod"]?.burst == 1)
        #expect(settings["aks-prod"]?.qps == nil)
        #expect(settings["aks-prod"]?.burst == nil)
    }

    @Test("a qps that is not a positive number or a burst below 1 is reported at its value and says what is allowed")
    func invalidQPSAndBurst() {
        let (settings, problems) = kubernetes("""
            accounts:
              - name: eks-prod
                kind: kubernetes
                qps: 1e400
                burst: -1
            """)
        #expect(settings.isEmpty)
        #expect(problems == [
            "tack.yaml:4:10: error: qps (requests per second) must be a positive number such as 50 or 0.5; got 1e400",
            "tack.yaml:5:12: error: burst (requests sent at once) must be an integer >= 1; got -1",
        ])
    }
}
