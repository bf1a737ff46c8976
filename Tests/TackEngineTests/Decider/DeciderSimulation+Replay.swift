import Testing

extension DeciderSimulation {
    /// Runs to the end (at most 2,000 passes), checking after each pass that deciding it again
    /// gives the same state, calls, events and requeue, and that a pass seeing the calls' effect,
    /// from the state before or after them, makes none of them again (a crash between the store
    /// write and the calls repeats nothing that took effect).
    mutating func runReplayingEachPass() throws {
        while !execution.phase.isTerminal && passes.count < 2_000 {
            let decision = pass()
            let pass = try #require(passes.last)
            let again = decider.decide(pass.before, pass.observation)
            #expect(again.execution == decision.execution && again.actions == decision.actions)
            #expect(again.events == decision.events && again.requeueAfter == decision.requeueAfter)

            let made = decision.allActions
            guard !made.isEmpty else { continue }
            for state in [pass.before, decision.execution] {
                let next = decider.decide(state, observe(state))
                let repeated = next.allActions.filter(made.contains)
                #expect(repeated == [], "pass \(pass.number) made \(made), then again \(repeated)")
            }
        }
    }
}
