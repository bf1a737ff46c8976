import TackCore
/// The steps of a canary rollout.
public struct CanaryOptions: Sendable, Hashable {
    /// The steps, in order; promotion follows the last one.
    public var steps: [CanaryStep]

    /// Canary options.
    public init(steps: [CanaryStep]) {
        self.steps = steps
    }

    /// How long a default step pauses.
    public static let defaultPause: Duration = .seconds(60)

    /// The steps used when none are written: 10%, pause, 25%, pause, 50%, pause, 100%.
    public static let `default` = CanaryOptions(steps: [
        .setWeight(10), .pause(defaultPause), .setWeight(25), .pause(defaultPause),
        .setWeight(50), .pause(defaultPause), .setWeight(100),
    ])
}

/// One step of a canary rollout.
public enum CanaryStep: Sendable, Hashable {
    /// Send this percentage (1...100) of traffic to the canary.
    case setWeight(Int)
    /// Wait this long, or until `tack promote` when nil.
    case pause(Duration?)
    /// Measure the conditions and go on only when they pass.
    case analysis(AnalysisStep)
}

/// An analysis gate inside a canary.
public struct AnalysisStep: Sendable, Hashable {
    /// Time between measurements; nil means the monitor's interval.
    public var interval: Duration?
    /// How many measurements must pass.
    public var count: Int
    /// The conditions that fail the step; empty means the rollback stage's.
    public var conditions: [Condition]

    /// The number of measurements when `count` is not written.
    public static let defaultCount = 4

    /// An analysis step.
    public init(interval: Duration? = nil, count: Int = defaultCount, conditions: [Condition] = []) {
        self.interval = interval
        self.count = count
        self.conditions = conditions
    }
}

/// Options of a blue-green rollout.
public struct BlueGreenOptions: Sendable, Hashable {
    /// Replicas of the new color before promotion; nil means `targetSize`.
    public var previewReplicas: Int?
    /// Whether to switch traffic as soon as the preview is ready and its analysis passed.
    public var autoPromote: Bool
    /// How long the old color is kept after the switch, so a rollback is one switch back.
    public var scaleDownDelay: Duration

    /// The scale-down delay when none is written.
    public static let defaultScaleDownDelay: Duration = .seconds(30)

    /// Blue-green options.
    public init(previewReplicas: Int? = nil, autoPromote: Bool = true, scaleDownDelay: Duration = defaultScaleDownDelay) {
        self.previewReplicas = previewReplicas
        self.autoPromote = autoPromote
        self.scaleDownDelay = scaleDownDelay
    }
}
