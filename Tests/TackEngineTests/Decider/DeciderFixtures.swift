import Foundation
import TackCore
import TackEngine

/// Pipelines, accounts and images the decider tests build on.
enum DeciderFixtures {
    /// When every simulated execution starts.
    static let t0 = Date(timeIntervalSinceReferenceDate: 796_000_000)

    static let aws = "aws-eu-central-1"
    static let gcp = "gcp-us-west1"
    static let azure = "azure-westeurope"
    /// A Kubernetes account that splits traffic by the ratio of ready replicas.
    static let gke = "gke-europe-west1"

    /// Three local accounts and one Kubernetes account (`traffic: replicas`) in four scopes, and one
    /// metrics account.
    static let accountsYAML = """
        accounts:
          - name: aws-eu-central-1
            kind: local
            scope: aws
          - name: gcp-us-west1
            kind: local
            scope: gcp
          - name: azure-westeurope
            kind: local
            scope: azure
          - name: gke-europe-west1
            kind: kubernetes
            scope: gke
            traffic: replicas
        metricsAccounts:
          - name: prometheus-prod
            kind: local
        """

    /// A monitor measuring every 2s over 10s in every deployed account.
    static let monitor = """
        - type: monitor
          metricsAccount: prometheus-prod
          interval: 2s
          window: 10s
        """

    /// A rollback stage on `errorRate > 5%` with `trigger`.
    static func rollback(_ trigger: String = "automatic") -> String {
        """
        - type: rollback
          trigger: \(trigger)
          conditions: ["errorRate > 5%"]
        """
    }

    /// A deploy stage with the given clusters (each a `- account: …` item written at column 0).
    static func deploy(_ clusters: String...) -> String {
        "- type: deploy\n  clusters:\n" + clusters.map { indented($0, by: 4) }.joined()
    }

    /// A canary cluster of `shop:v2` with `steps` (a YAML flow sequence).
    static func canary(_ account: String, targetSize: Int = 3, steps: String) -> String {
        """
        - account: \(account)
          container: shop:v2
          targetSize: \(targetSize)
          strategy: canary
          canary:
            steps: \(steps)
        """
    }

    /// A blue-green cluster of `shop:v2`.
    static func blueGreen(_ account: String, targetSize: Int = 2, previewReplicas: Int = 1, autoPromote: Bool = true,
                          scaleDownDelay: String = "10s") -> String {
        """
        - account: \(account)
          container: shop:v2
          targetSize: \(targetSize)
          strategy: bluegreen
          bluegreen:
            previewReplicas: \(previewReplicas)
            autoPromote: \(autoPromote)
            scaleDownDelay: \(scaleDownDelay)
        """
    }

    /// The pipeline of application `shop` with `stages` (each written at column 0).
    static func pipelineYAML(_ stages: [String]) -> String {
        "application: shop\npipeline:\n  stages:\n" + stages.map { indented($0, by: 4) }.joined()
    }

    /// The plan of revision 1 of `shop` with `stages`, decoded as the engine decodes it.
    static func plan(_ stages: String...) throws -> RevisionPlan {
        try RevisionPlan.decode(PipelineRevision(
            app: "shop", number: 1, digest: "test", pipelinePath: "/etc/tack/shop.yaml", pipelineText: pipelineYAML(stages),
            accountsPath: "/etc/tack/tack.yaml", accountsText: accountsYAML, appliedAt: t0))
    }

    /// `shop:<tag>` pinned by a digest made from the tag, as a driver resolves it.
    static func image(_ tag: String) -> ImageRef {
        ImageRef(domain: nil, path: "shop", tag: tag, digest: digest(tag))
    }

    /// `image` pinned by the digest `image(tag)` carries.
    static func pinned(_ image: ImageRef) -> ImageRef {
        var pinned = image
        pinned.digest = digest(image.tag ?? "latest")
        return pinned
    }

    private static func digest(_ tag: String) -> String {
        let hex = Array("0123456789abcdef")
        let seed = tag.unicodeScalars.reduce(7) { ($0 * 31 + Int($1.value)) % 65_521 }
        return "sha256:" + String((0..<64).map { hex[(seed * ($0 + 1) * 2_654_435_761 >> 7) & 15] })
    }

    private static func indented(_ text: String, by spaces: Int) -> String {
        let pad = String(repeating: " ", count: spaces)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { pad + $0 + "\n" }.joined()
    }
}
