import TackCore

/// What a reconcile pass decided: the execution's new state, the driver calls to make per account
/// (in order), the events to record, and when to look again.
public struct Decision: Sendable {
    /// The state to persist before acting.
    public var execution: Execution
    /// Calls per account, each list in order.
    public var actions: [AccountActions]
    /// Events to record with the state.
    public var events: [EngineEvent]
    /// When the execution should be reconciled again at the latest.
    public var requeueAfter: Duration

    /// The calls of all accounts, flattened, for tests and logs.
    public var allActions: [DriverAction] { actions.flatMap(\.actions) }
}

/// The driver calls for one account, in order.
public struct AccountActions: Sendable, Hashable {
    /// The account.
    public var account: String
    /// The calls; the first failure stops the rest.
    public var actions: [DriverAction]
}
