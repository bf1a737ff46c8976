// swift-tools-version:6.2
import PackageDescription

/// Settings every Tack target shares: Swift 6 language mode (strict concurrency) and no warnings.
let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]

let package = Package(
    name: "Tack",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tack", targets: ["tack"]),
        .executable(name: "lora-train", targets: ["lora-train"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // System libraries (Debian packages named as apt providers).
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),

        .target(name: "TackCore", swiftSettings: strict),
        // The Prometheus text exposition format: the controller's and the trainer service's /metrics.
        .target(name: "PrometheusExposition", swiftSettings: strict),
        .target(name: "TackYAML", dependencies: ["CYAML"], swiftSettings: strict),
        .target(name: "TackPipeline", dependencies: ["TackCore", "TackYAML"], swiftSettings: strict),
        .target(name: "TackHTTP", dependencies: ["CCurl"], swiftSettings: strict),
        .target(name: "TackPrometheus", dependencies: ["TackCore", "TackHTTP"], swiftSettings: strict),
        // The Kubernetes API client: kubeconfig and credentials, REST with Status errors, watch and informers.
        .target(name: "KubeAPI", dependencies: ["TackHTTP", "TackYAML"], swiftSettings: strict),
        // The ClusterDriver for `kind: kubernetes` accounts: Deployments, Services and HTTPRoutes per track.
        .target(name: "TackKubernetes", dependencies: ["TackCore", "KubeAPI", "TackHTTP"], swiftSettings: strict),
        // The embedded local runtime: runc replicas, the nginx router, the embedded Prometheus.
        .target(name: "CSpawn"),  // glibc's GNU posix_spawn extensions (new session, closefrom, chdir)
        .target(name: "TackLocal", dependencies: ["CSpawn", "TackCore", "TackHTTP"], swiftSettings: strict),
        // The reconciler: executions as persisted state machines, driven through ClusterDriver and MetricsSource.
        .target(
            name: "TackEngine",
            dependencies: ["TackCore", "TackPipeline", "PrometheusExposition", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        // The controller's web page: plain HTML, CSS and JavaScript embedded in the binary.
        .target(
            name: "TackDashboard",
            resources: ["index.html", "tack.css", "app.js", "api.js", "chart.js", "views.js", "favicon.svg"].map { .embedInCode("web/\($0)") },
            swiftSettings: strict
        ),
        // The controller daemon: the HTTP API over the engine, bearer-token auth, /metrics, the web page.
        .target(
            name: "TackServer",
            dependencies: ["TackEngine", "TackDashboard", .product(name: "Hummingbird", package: "hummingbird")],
            swiftSettings: strict
        ),
        // The trainer library; it does not depend on the controller.
        .target(name: "CLoRA"),  // glibc's mallopt and per-thread nice values, which Swift does not import
        .target(name: "LoRA", dependencies: ["COpenBLAS", "CLoRA", "TackYAML"], swiftSettings: strict),
        .executableTarget(
            name: "tack",
            dependencies: [
                "TackPipeline", "TackLocal", "TackEngine", "TackPrometheus", "TackServer", "TackHTTP", "KubeAPI", "TackKubernetes",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        // The training service (`lora-train serve`): job queue, journal, metrics and the HTTP API.
        .target(
            name: "LoRAService",
            dependencies: ["LoRA", "PrometheusExposition", .product(name: "Hummingbird", package: "hummingbird")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "lora-train",
            dependencies: [
                "LoRA", "LoRAService", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),

        .testTarget(name: "TackCoreTests", dependencies: ["TackCore"], swiftSettings: strict),
        .testTarget(name: "TackYAMLTests", dependencies: ["TackYAML"], swiftSettings: strict),
        .testTarget(name: "TackPipelineTests", dependencies: ["TackPipeline"], exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(
            name: "TackCLITests",
            dependencies: ["tack", "TackEngine", "TackServer", "TackHTTP", "FakeKubeAPI", "KubeAPI", "TackYAML"],
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
        .testTarget(name: "LoRATrainCLITests", dependencies: ["lora-train", "TackHTTP"], swiftSettings: strict),
        .testTarget(
            name: "LoRAServiceTests",
            dependencies: ["LoRAService", "PrometheusExposition", "TackHTTP"],
            swiftSettings: strict
        ),
        .testTarget(name: "TackHTTPTests", dependencies: ["TackHTTP", "TestSupport"], exclude: ["Servers"], swiftSettings: strict),
        // What several test targets share: free loopback ports and openssl-made test certificates.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strict),
        // An in-process stand-in for kube-apiserver (no cluster runs here), faithful where the client depends on it.
        .target(
            name: "FakeKubeAPI",
            dependencies: ["KubeAPI", .product(name: "Hummingbird", package: "hummingbird")],
            path: "Tests/FakeKubeAPI",
            swiftSettings: strict
        ),
        .testTarget(name: "KubeAPITests", dependencies: ["KubeAPI", "FakeKubeAPI", "TackHTTP", "TestSupport"], exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(
            name: "TackKubernetesTests",
            dependencies: ["TackKubernetes", "KubeAPI", "FakeKubeAPI", "TackCore", "TackYAML", "TestSupport"],
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
        .testTarget(name: "TackPrometheusTests", dependencies: ["TackPrometheus", "TestSupport"], exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(
            name: "TackEngineTests",
            dependencies: ["TackEngine", "TackLocal", "TackPrometheus", "TackHTTP"],
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TackServerTests",
            dependencies: ["TackServer", "TackDashboard", "TackEngine", "TackHTTP"],
            swiftSettings: strict
        ),
        .testTarget(name: "TackLocalTests", dependencies: ["TackLocal", "TackHTTP"], exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(name: "LoRATests", dependencies: ["LoRA", "CLoRA", "COpenBLAS"], exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(name: "SystemLibraryTests", dependencies: ["CCurl", "COpenBLAS", "CYAML"], swiftSettings: strict),
    ]
)
