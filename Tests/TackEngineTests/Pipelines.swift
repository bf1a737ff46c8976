/// The pipelines the integration tests roll out: a canary in account `aws` and a blue-green
/// rollout in account `gcp`, both watched by the embedded Prometheus every second.
enum Pipelines {
    static let accounts = """
        accounts:
          - name: aws
            kind: local
            scope: aws
          - name: gcp
            kind: local
            scope: gcp
        metricsAccounts:
          - name: prom
            kind: local

        """

    /// Version `tag` to both accounts; `trigger` is the rollback stage's.
    static func both(_ tag: String, trigger: String = "automatic", pause: String = "3s") -> String {
        """
        application: svc
        pipeline:
          stages:
            - type: deploy
              clusters:
                - account: aws
                  container: svc:\(tag)
                  targetSize: 2
                  strategy: canary
                  canary:
                    steps:
                      - setWeight: 50
                      - pause: \(pause)
                      - analysis: {count: 2, interval: 1s}
                - account: gcp
                  container: svc:\(tag)
                  targetSize: 2
                  strategy: bluegreen
                  bluegreen:
                    previewReplicas: 1
                    scaleDownDelay: 2s
            - type: monitor
              metricsAccount: prom
              scopes: [aws, gcp]
              interval: 1s
              window: 5s
            - type: rollback
              trigger: \(trigger)
              conditions: ["errorRate > 5%", "latency > 2s"]

        """
    }

    /// A canary in `aws` and blue-green in `gcp`, no analysis, so each rollout takes a few seconds.
    static func quick(_ tag: String) -> String {
        """
        application: svc
        pipeline:
          stages:
            - type: deploy
              clusters:
                - account: aws
                  container: svc:\(tag)
                  targetSize: 2
                  strategy: canary
                  canary:
                    steps:
                      - setWeight: 50
                      - pause: 1s
                - account: gcp
                  container: svc:\(tag)
                  targetSize: 2
                  strategy: bluegreen
                  bluegreen:
                    previewReplicas: 1
                    scaleDownDelay: 1s

        """
    }
}
