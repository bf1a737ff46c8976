import Foundation
import TackCore
import TackEngine

/// Runs an execution the way the reconciler does, without I/O: observe, decide, make the calls
/// on `SimulatedAccounts`, wait the requeue time on a fake clock, and again. Analysis rounds are
/// measured with a `MetricsScript` and stored as `AnalysisRecord`s, which each pass replays.
struct DeciderSimulation {
    /// One reconcile pass as it happened.
    struct Pass {
        var number: Int
        /// The state the pass decided from.
        var before: Execution
        var observation: Observation
        var decision: Decision
        /// Every account's workload after the calls.
        var workloads: [String: WorkloadStatus]
    }

    let plan: RevisionPlan
    let options: EngineOptions
    var execution: Execution
    var accounts: SimulatedAccounts
    var metrics: MetricsScript
    private(set) var now: Date
    /// Stored rounds by `Observation.key(account:name:)`.
    private(set) var rounds: [String: [AnalysisRecord]] = [:]
    private(set) var passes: [Pass] = []

    /// Timing for tests: a 2-minute progress deadline, the default warm-up and resync.
    static let options = EngineOptions(progressDeadline: .seconds(120))

    init(_ plan: RevisionPlan, options: EngineOptions = Self.options, metrics: @escaping MetricsScript = Metrics.byTraffic()) {
        self.plan = plan
        self.options = options
        self.execution = Execution(id: 1, app: plan.app, revision: plan.revision.number, accounts: plan.accountRollouts(),
                                   createdAt: DeciderFixtures.t0)
        self.accounts = SimulatedAccounts(app: plan.app)
        self.accounts.splitsByReplicas = Set(plan.accountRollouts().map(\.account).filter { plan.splitsByReplicas(account: $0) })
        self.metrics = metrics
        self.now = DeciderFixtures.t0
    }

    var decider: ExecutionDecider { ExecutionDecider(plan: plan, options: options) }

    /// The rollout of `account` (its first, when it is in several stages).
    func rollout(_ account: String) -> AccountRollout {
        execution.accounts.first { $0.account == account }!
    }

    /// Takes every analysis round that is due now.
    mutating func measure() {
        for spec in plan.analyses(of: execution, options: options) {
            let key = Observation.key(account: spec.account, name: spec.name)
            let state = AnalysisState(spec: spec, replaying: rounds[key] ?? [])
            guard state.outcome == .running, now >= state.nextRoundAt else { continue }
            let measurements = metrics(spec, now, accounts).measurements(spec, at: now)
            rounds[key, default: []].append(state.round(executionID: execution.id, measurements: measurements, at: now))
        }
    }

    /// What a pass deciding `execution` (the current one by default) would see now.
    func observe(_ execution: Execution? = nil) -> Observation {
        let execution = execution ?? self.execution
        let decider = decider
        var analyses: [String: AnalysisState] = [:]
        for spec in plan.analyses(of: execution, options: options) {
            let key = Observation.key(account: spec.account, name: spec.name)
            analyses[key] = AnalysisState(spec: spec, replaying: rounds[key] ?? [])
        }
        var resolved: [String: ImageRef] = [:]
        for account in decider.accountsToResolve(execution) {
            guard let rollout = execution.accounts.first(where: { $0.account == account && $0.stage == execution.stage }),
                  let cluster = plan.cluster(of: rollout), accounts.unreachable[account] == nil else { continue }
            resolved[account] = DeciderFixtures.pinned(cluster.image)
        }
        let statuses = Dictionary(uniqueKeysWithValues: decider.accountsToObserve(execution).map { ($0, accounts.observe($0)) })
        return Observation(now: now, statuses: statuses, resolved: resolved, analyses: analyses)
    }

    /// One pass: measure, observe, decide, persist, call, then wait the requeue time.
    @discardableResult
    mutating func pass() -> Decision {
        measure()
        let before = execution
        let observation = observe()
        let decision = decider.decide(before, observation)
        execution = decision.execution
        for calls in decision.actions {
            accounts.perform(calls, pass: passes.count, time: now)
        }
        let workloads = Dictionary(uniqueKeysWithValues: Set(execution.accounts.map(\.account)).map { ($0, accounts.status($0)) })
        passes.append(Pass(number: passes.count, before: before, observation: observation, decision: decision, workloads: workloads))
        accounts.tick()
        now = now.addingTimeInterval(decision.requeueAfter.inSeconds)
        return decision
    }

    /// Passes until `done` holds (true) or the execution ends or `limit` passes were made without it (false).
    @discardableResult
    mutating func run(limit: Int = 3_000, until done: (DeciderSimulation) -> Bool) -> Bool {
        for _ in 0..<limit {
            if done(self) { return true }
            if execution.phase.isTerminal { return false }
            pass()
        }
        return done(self)
    }

    /// Passes until the execution ends; true when it ended in `phase`.
    @discardableResult
    mutating func runToEnd(limit: Int = 3_000) -> ExecutionPhase {
        run(limit: limit) { $0.execution.phase.isTerminal }
        return execution.phase
    }

    /// Moves the clock without a pass, as a controller that was down (or just idle) would see it.
    mutating func wait(_ duration: Duration) {
        now = now.addingTimeInterval(duration.inSeconds)
    }

    /// Asks for a judgment, as `tack promote` or `tack abort` does.
    mutating func judge(_ judgment: Judgment) {
        execution.judgment = judgment
    }

    // MARK: - What happened

    /// The calls made in `account`.
    func calls(in account: String) -> [DriverAction] {
        accounts.calls.filter { $0.account == account }.map(\.action)
    }

    /// Every event of every pass.
    var events: [EngineEvent] { passes.flatMap(\.decision.events) }

    /// The execution's phases pass by pass, each once per run of equal ones.
    var phases: [ExecutionPhase] {
        passes.map(\.decision.execution.phase).reduce(into: []) { if $0.last != $1 { $0.append($1) } }
    }

    /// The first pass after which `condition` held of the execution.
    func firstPass(where condition: (Execution) -> Bool) -> Pass? {
        passes.first { condition($0.decision.execution) }
    }

    /// The stored rounds of `account`'s analysis `name`.
    func rounds(_ account: String, _ name: String) -> [AnalysisRecord] {
        rounds[Observation.key(account: account, name: name)] ?? []
    }
}

extension Duration {
    /// The duration in seconds.
    var inSeconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }
}
