/// Decoded revisions by application and number, so a pass decodes a revision once per process.
actor PlanCache {
    private var plans: [String: RevisionPlan] = [:]

    /// The plan of revision `revision` of `app`.
    func plan(app: String, revision: Int, store: EngineStore) throws -> RevisionPlan {
        let key = "\(app)#\(revision)"
        if let plan = plans[key] { return plan }
        guard let stored = try store.revision(app: app, number: revision) else {
            throw EngineError.invalidRevision(app: app, revision: revision, problems: ["the revision is not in the store"])
        }
        let plan = try RevisionPlan.decode(stored)
        plans[key] = plan
        return plan
    }
}
