import Foundation
import TackCore

/// A decision being made: the execution as it changes, with the calls and events it collects.
struct DecisionDraft {
    var execution: Execution
    private let original: Execution
    let now: Date
    private(set) var actions: [AccountActions] = []
    private(set) var events: [EngineEvent] = []
    private(set) var requeueAfter: Duration

    init(_ execution: Execution, now: Date, resync: Duration) {
        self.execution = execution
        self.original = execution
        self.now = now
        self.requeueAfter = resync
    }

    /// Records an event.
    mutating func event(_ kind: EngineEvent.Kind, _ message: String, account: String? = nil) {
        events.append(EngineEvent(executionID: execution.id, time: now, account: account, kind: kind, message: message))
    }

    /// Queues calls for an account, after the ones already queued for it.
    mutating func act(_ account: String, _ calls: [DriverAction]) {
        guard !calls.isEmpty else { return }
        if let index = actions.firstIndex(where: { $0.account == account }) {
            actions[index].actions += calls
        } else {
            actions.append(AccountActions(account: account, actions: calls))
        }
        requeue(after: .milliseconds(200))
    }

    /// Drops every queued call (a rollback or a pause replaces them).
    mutating func dropActions() {
        actions = []
    }

    /// Asks to be reconciled again no later than `delay` from now.
    mutating func requeue(after delay: Duration) {
        requeueAfter = min(requeueAfter, max(delay, .milliseconds(100)))
    }

    /// Asks to be reconciled again no later than `date`.
    mutating func requeue(at date: Date) {
        requeue(after: .milliseconds(Int64(max(0, date.timeIntervalSince(now)) * 1000)))
    }

    /// The finished decision.
    var decision: Decision {
        var execution = execution
        if execution != original { execution.updatedAt = now }
        return Decision(execution: execution, actions: actions, events: events, requeueAfter: requeueAfter)
    }
}

extension AccountRollout {
    /// Records a failed driver call: the message, and the back-off before the next call
    /// (1 s doubling to 60 s).
    public mutating func recordFailure(_ message: String, at now: Date) {
        failures += 1
        error = message
        errorSince = errorSince ?? now
        let delay = min(60, pow(2, Double(min(failures - 1, 6))))
        retryAt = now.addingTimeInterval(delay)
    }

    /// Clears the error after a call succeeded.
    public mutating func recordSuccess() {
        failures = 0
        error = nil
        errorSince = nil
        retryAt = nil
    }
}
