import Foundation
import TackCore

/// The rollout in one account: which step it is on, what it rolls out and what it replaces.
public struct AccountRollout: Sendable, Hashable, Codable {
    /// How the account gets the new version, decided when its stage starts.
    public enum Mode: String, Sendable, Hashable, Codable {
        /// Not decided yet.
        case undecided
        /// Step by step with the pipeline's strategy.
        case progressive
        /// Nothing of the application runs there yet: the new version becomes stable at once.
        case initial
        /// The account already runs the new version: only leftovers of an earlier rollout are removed.
        case current
    }

    /// The account's name.
    public var account: String
    /// The index of its deploy stage in the pipeline.
    public var stage: Int
    /// Where it stands.
    public var phase: AccountPhase
    /// How it gets the new version.
    public var mode: Mode
    /// The index of the step it is on.
    public var step: Int
    /// When that step started.
    public var stepStartedAt: Date?
    /// The new version's image, pinned by digest once resolved.
    public var image: ImageRef?
    /// The image the stable (or active) track ran when the rollout started; nil for an initial deployment.
    public var previousImage: ImageRef?
    /// Bumped by `promote` after an analysis paused the rollout, so the analyses start afresh.
    public var analysisEpoch: Int
    /// When the background monitor started measuring the new version here.
    public var monitorStartedAt: Date?
    /// What the current step waits for, for people.
    public var waitingFor: String?
    /// The last driver error, while the account has one.
    public var error: String?
    /// When the account's current run of errors began.
    public var errorSince: Date?
    /// Driver errors in a row, for the retry back-off.
    public var failures: Int
    /// No driver call before this time (back-off after errors).
    public var retryAt: Date?
    /// The account's workload as last observed, for people watching.
    public var observed: WorkloadStatus?

    /// The rollout of `account`, not yet started.
    public init(account: String, stage: Int) {
        self.account = account
        self.stage = stage
        self.phase = .pending
        self.mode = .undecided
        self.step = 0
        self.stepStartedAt = nil
        self.image = nil
        self.previousImage = nil
        self.analysisEpoch = 0
        self.monitorStartedAt = nil
        self.waitingFor = nil
        self.error = nil
        self.errorSince = nil
        self.failures = 0
        self.retryAt = nil
        self.observed = nil
    }
}
