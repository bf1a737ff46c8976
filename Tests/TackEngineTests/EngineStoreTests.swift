import Foundation
@testable import TackEngine
import Testing

@Suite("engine store")
struct EngineStoreTests {
    typealias F = StoreFixtures

    @Test("applying a pipeline stores revision 1 and a pending execution with its accounts")
    func applyCreates() throws {
        try F.withDatabase { path in
            let store = try EngineStore(path: path)
            let outcome = try store.apply(F.revision(digest: "a", number: 7), accounts: F.accounts, now: F.t0)
            #expect(outcome.created && outcome.superseded.isEmpty)
            #expect(outcome.revision == F.revision(digest: "a", number: 1))
            #expect(outcome.execution.id > 0 && outcome.execution.phase == .pending)
            #expect(try store.revisions(app: "shop") == [outcome.revision])
            #expect(try store.execution(id: outcome.execution.id) == outcome.execution)
            #expect(try store.execution(id: outcome.execution.id)?.accounts == F.accounts)
            let events = try store.events(executionID: outcome.execution.id)
            #expect(events.map(\.kind) == [.created] && events.first?.message == "revision 1 applied")
        }
    }

    @Test("applying the same digest again changes nothing")
    func applySameDigest() throws {
        let store = try EngineStore.inMemory()
        let first = try store.apply(F.revision(digest: "a"), accounts: F.accounts, now: F.t0)
        let events = try store.events(executionID: first.execution.id)
        let again = try store.apply(F.revision(digest: "a"), accounts: [], now: F.t0.addingTimeInterval(60))
        #expect(!again.created && again.superseded.isEmpty)
        #expect(again.revision == first.revision && again.execution == first.execution)
        #expect(try store.revisions(app: "shop").count == 1 && store.executions(app: "shop").count == 1)
        #expect(try store.events(executionID: first.execution.id) == events)
    }

    @Test("a new digest becomes the next revision and supersedes running executions, not one rolling back")
    func applySupersedes() throws {
        let store = try EngineStore.inMemory()
        var rollingBack = try store.apply(F.revision(digest: "a"), accounts: F.accounts, now: F.t0).execution
        rollingBack.phase = .rollingBack
        try store.save(rollingBack, events: [])
        var running = try store.apply(F.revision(digest: "b"), accounts: F.accounts, now: F.t0).execution
        running.phase = .progressing
        try store.save(running, events: [])
        let other = try store.apply(F.revision("cart", digest: "b"), accounts: F.accounts, now: F.t0).execution
        let now = F.t0.addingTimeInterval(90)
        let outcome = try store.apply(F.revision(digest: "c"), accounts: F.accounts, now: now)
        #expect(outcome.created && outcome.revision.number == 3 && outcome.superseded == [running.id])
        #expect(try store.execution(id: rollingBack.id) == rollingBack)
        #expect(try store.execution(id: other.id) == other)
        let superseded = try #require(try store.execution(id: running.id))
        #expect(superseded.phase == .superseded && superseded.updatedAt == now)
        #expect(superseded.message == "superseded by revision 3")
        let events = try store.events(executionID: running.id)
        #expect(events.map(\.kind) == [.created, .phaseChanged] && events.last?.message == "superseded by revision 3")
        #expect(try store.latestExecution(app: "shop") == outcome.execution)
    }

    @Test("saving round-trips every field and gives events increasing sequence numbers")
    func saveRoundTrips() throws {
        let store = try EngineStore.inMemory()
        var execution = try store.apply(F.revision(digest: "a"), accounts: F.accounts, now: F.t0).execution
        let now = Date()
        execution.phase = .rollingBack
        execution.stage = 1
        execution.stageStartedAt = now.addingTimeInterval(-12.5)
        execution.accounts = [F.accounts[0], F.accounts[2], F.everyField(F.accounts[1], now: now)]
        execution.pauseReason = "analysis could not judge"
        execution.judgment = .abort
        execution.cause = RollbackCause(
            account: "aws-prod", metric: "errorRate", condition: "errorRate > 5%", value: 0.312, limit: 0.05,
            reason: "errorRate 31.2% > 5%")
        execution.rollbackEnding = .aborted
        execution.message = "errorRate > 5% in aws-prod"
        execution.updatedAt = now
        let events = try store.save(execution, events: [
            EngineEvent(executionID: execution.id, time: now, account: "aws-prod", kind: .analysisEnded, message: "failed"),
            EngineEvent(executionID: execution.id, time: now, kind: .rollbackStarted, message: "errorRate > 5%"),
        ])
        #expect(try store.execution(id: execution.id) == execution)
        let created = try #require(try store.events(executionID: execution.id).first)
        #expect(events.map(\.sequence) == [created.sequence + 1, created.sequence + 2])
        #expect(try store.events(executionID: execution.id, after: created.sequence) == events)

        execution.accounts.removeLast()
        try store.save(execution, events: [])
        #expect(try store.execution(id: execution.id)?.accounts == [F.accounts[0], F.accounts[2]])
    }

    @Test("saving an execution that does not exist fails and stores nothing")
    func saveUnknown() throws {
        let store = try EngineStore.inMemory()
        let missing = Execution(id: 42, app: "shop", revision: 1, accounts: F.accounts, createdAt: F.t0)
        #expect(throws: EngineError.store("no execution with id 42")) {
            try store.save(missing, events: [EngineEvent(executionID: 42, time: F.t0, kind: .stageStarted, message: "")])
        }
        #expect(try store.events(executionID: 42).isEmpty)
        #expect(throws: EngineError.self) {
            try store.append([EngineEvent(executionID: 42, time: F.t0, kind: .stageStarted, message: "")])
        }
    }

    @Test("a judgment needs a running execution and is recorded with an event")
    func judgment() throws {
        let store = try EngineStore.inMemory()
        #expect(throws: EngineError.noExecution(app: "shop")) {
            try store.requestJudgment(.promote, app: "shop", now: F.t0)
        }
        var execution = try store.apply(F.revision(digest: "a"), accounts: F.accounts, now: F.t0).execution
        let now = F.t0.addingTimeInterval(5)
        let judged = try store.requestJudgment(.promote, app: "shop", now: now)
        #expect(judged.judgment == .promote && judged.updatedAt == now)
        #expect(try store.execution(id: execution.id) == judged)
        #expect(try store.events(executionID: execution.id).last?.message == "promote requested")
        execution.phase = .succeeded
        try store.save(execution, events: [])
        #expect(throws: EngineError.notRunning(app: "shop", phase: .succeeded)) {
            try store.requestJudgment(.abort, app: "shop", now: now)
        }
    }

    @Test("analysis rounds round-trip in order, and recording a round again replaces it")
    func rounds() throws {
        let store = try EngineStore.inMemory()
        let id = try store.apply(F.revision(digest: "a"), accounts: F.accounts, now: F.t0).execution.id
        let latency = MeasurementRecord(
            condition: "latency > 2s", metric: "latency.p99", phase: "inconclusive", value: nil, stableValue: nil,
            limit: nil, requests: nil, reason: "no data")
        let second = F.round(id, "aws-prod", "step.1.0", 2, [F.errorRate(0.01), latency])
        let first = F.round(id, "aws-prod", "step.1.0", 1, [F.errorRate(nil, phase: "inconclusive")], counted: false)
        let empty = F.round(id, "aws-prod", "monitor.0", 1, [])
        let dev = F.round(id, "aws-dev", "step.1.0", 1, [F.errorRate(0.02)])
        for round in [second, first, empty, dev] { try store.record(round) }
        #expect(try store.rounds(executionID: id) == [dev, empty, first, second])

        let remeasured = F.round(id, "aws-prod", "step.1.0", 2, [F.errorRate(0.3, phase: "failed")])
        try store.record(remeasured)
        try store.record(remeasured)
        #expect(try store.rounds(executionID: id) == [dev, empty, first, remeasured])
        #expect(try store.rounds(executionID: id + 1).isEmpty)
    }

    @Test("asked for the latest rounds, the store gives each analysis' last ones, in order")
    func latestRounds() throws {
        let store = try EngineStore.inMemory()
        let id = try store.apply(F.revision(digest: "a"), accounts: F.accounts, now: F.t0).execution.id
        let monitor = (1...5).map { F.round(id, "aws-prod", "monitor.0", $0, [F.errorRate(Double($0))]) }
        let step = (1...2).map { F.round(id, "aws-prod", "step.1.0", $0, [F.errorRate(0.1), F.errorRate(0.2)]) }
        let dev = (1...4).map { F.round(id, "aws-dev", "monitor.0", $0, []) }
        for round in (monitor + step + dev).shuffled() { try store.record(round) }
        #expect(try store.rounds(executionID: id, latest: 3) == Array(dev.suffix(3)) + Array(monitor.suffix(3)) + step)
        #expect(try store.rounds(executionID: id, latest: 100) == dev + monitor + step)
        #expect(try store.rounds(executionID: id, latest: 3).count < store.rounds(executionID: id).count)
    }

    @Test("a store reopened from the same file sees everything committed")
    func reopen() throws {
        try F.withDatabase { path in
            var execution: Execution
            let round: AnalysisRecord
            do {
                let store = try EngineStore(path: path)
                execution = try store.apply(F.revision(digest: "a"), accounts: F.accounts, now: F.t0).execution
                execution.phase = .progressing
                execution.accounts[0] = F.everyField(execution.accounts[0], now: Date())
                let event = EngineEvent(executionID: execution.id, time: Date(), kind: .stageStarted, message: "stage 0")
                try store.save(execution, events: [event])
                round = F.round(execution.id, "aws-dev", "monitor.0", 1, [F.errorRate(0.001)])
                try store.record(round)
            }
            let reopened = try EngineStore(path: path)
            #expect(try reopened.latestRevision(app: "shop") == F.revision(digest: "a", number: 1))
            #expect(try reopened.execution(id: execution.id) == execution)
            #expect(try reopened.events(executionID: execution.id).map(\.kind) == [.created, .stageStarted])
            #expect(try reopened.rounds(executionID: execution.id) == [round])
            #expect(try reopened.pragma("journal_mode") == "wal")
            #expect(try reopened.pragma("synchronous") == "2")  // FULL
        }
    }

    @Test("executions list newest first, active ones oldest first without ended ones")
    func listing() throws {
        let store = try EngineStore.inMemory()
        let shop1 = try store.apply(F.revision(digest: "a"), accounts: F.accounts, now: F.t0).execution
        var cart = try store.apply(F.revision("cart", digest: "a"), accounts: F.accounts, now: F.t0).execution
        let shop2 = try store.apply(F.revision(digest: "b"), accounts: F.accounts, now: F.t0).execution
        let web = try store.apply(F.revision("web", digest: "a"), accounts: F.accounts, now: F.t0).execution
        #expect(try store.executions(app: "shop").map(\.id) == [shop2.id, shop1.id])
        #expect(try store.executions(app: nil).map(\.id) == [web.id, shop2.id, cart.id, shop1.id])
        #expect(try store.executions(app: "none").isEmpty)
        #expect(try store.applications() == ["cart", "shop", "web"])
        #expect(try store.activeExecutions().map(\.id) == [cart.id, shop2.id, web.id])
        cart.phase = .failed
        try store.save(cart, events: [])
        #expect(try store.activeExecutions().map(\.id) == [shop2.id, web.id])
    }
}
