import FakeKubeAPI
import Foundation
import Testing

/// What a user of Kubernetes accounts has on disk, in a fresh temporary folder: a kubeconfig with a
/// bearer token for the fake API server, an accounts file with a canary account `eks-test`
/// (namespace `lora`) and a blue-green account `gke-test` (namespace `lora-gcp`), and pipelines.
struct KubernetesWorkspace {
    /// The kubeconfig's token; no output may show it.
    static let token = "kube-t0ken-never-printed"

    let directory: URL

    /// The accounts file.
    var accounts: String { directory.appendingPathComponent("tack.yaml").path }

    /// A workspace for `server`, which from now on requires the kubeconfig's token and completes
    /// every Deployment rollout; with `gateway` (`NAMESPACE/NAME`), `eks-test` routes by an
    /// HTTPRoute attached to that Gateway (`traffic: gatewayAPI`) instead of by replica ratio.
    init(server: FakeKubeAPIServer, gateway: String? = nil) throws {
        server.requireToken(Self.token)
        server.deploymentController.mode = .rollsOut
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tack-kube-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try """
            apiVersion: v1
            kind: Config
            clusters:
              - name: fake
                cluster: {server: "\(server.baseURL)"}
            users:
              - name: deployer
                user: {token: \(Self.token)}
            contexts:
              - name: fake
                context: {cluster: fake, user: deployer, namespace: ignored}
            current-context: fake
            """.write(to: directory.appendingPathComponent("kubeconfig"), atomically: true, encoding: .utf8)
        let routing = gateway.map { "\n    traffic: gatewayAPI\n    gateway: \($0)" } ?? ""
        try """
            accounts:
              - name: eks-test
                kind: kubernetes
                scope: aws
                kubeconfig: \(directory.path)/kubeconfig
                namespace: lora\(routing)
              - name: gke-test
                kind: kubernetes
                scope: gcp
                kubeconfig: \(directory.path)/kubeconfig
                namespace: lora-gcp
            """.write(toFile: accounts, atomically: true, encoding: .utf8)
    }

    /// Writes the pipeline rolling out `tag` of lora-train and gives its path: a canary of
    /// `canarySize` replicas through `weights` in `eks-test`, and unless `blueGreen` is false a
    /// blue-green of 2 replicas (scaleDownDelay 1s) in `gke-test`.
    func pipeline(_ tag: String, canarySize: Int = 3, weights: [Int] = [33, 66], blueGreen: Bool = true) throws -> String {
        let image = "registry.example.com/lora-train:\(tag)@sha256:\(String(repeating: tag == "v1" ? "1" : "2", count: 64))"
        let steps = weights.map { "\n              - setWeight: \($0)" }.joined()
        let path = directory.appendingPathComponent("pipeline.yaml").path
        var text = """
            application: lora-train
            pipeline:
              stages:
                - type: deploy
                  clusters:
                    - account: eks-test
                      container: \(image)
                      targetSize: \(canarySize)
                      strategy: canary
                      canary:
                        steps:\(steps)
            """
        if blueGreen {
            text += """

                        - account: gke-test
                          container: \(image)
                          targetSize: 2
                          strategy: bluegreen
                          bluegreen:
                            scaleDownDelay: 1s
                """
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Runs `tack run` off the concurrency pool (the fake server shares it), for at most two
    /// minutes, and expects it to exit with `status`.
    @discardableResult
    func run(_ pipeline: String, expecting status: Int32 = 0, sourceLocation: SourceLocation = #_sourceLocation) async throws -> TackRun {
        let run = try await TackRun.detached(["run", "-f", pipeline, "--accounts", accounts, "--home", directory.appendingPathComponent("home").path],
                                             environment: ["KUBECONFIG": ""])
        #expect(run.status == status, "\(run.stdout)\(run.stderr)", sourceLocation: sourceLocation)
        return run
    }

    /// Removes the folder.
    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}
