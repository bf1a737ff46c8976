/// The files the tests apply: a one-account canary, and a pipeline with a mistake in it.
enum ServerPipelines {
    static let accounts = """
        accounts:
          - name: aws
            kind: local
            scope: aws

        """

    /// Version `tag` of `svc` to account `aws` by canary.
    static func canary(_ tag: String) -> String {
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

        """
    }

    /// A canary whose `targetSize` is not a number (line 9, column 23).
    static let invalid = """
        application: svc
        pipeline:
          stages:
            - type: deploy
              clusters:
                - account: aws
                  container: svc:v1
                  strategy: canary
                  targetSize: many

        """
}
