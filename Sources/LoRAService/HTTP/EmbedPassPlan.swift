/// What an idle embedding worker does next: how many waiting requests it takes from the front of
/// the queue as one pass, and over how many threads it embeds them.
///
/// A pass takes whole requests in arrival order, all on the first one's adapter, until it holds
/// at least `passTexts` texts. It runs on one thread while other passes run or more requests wait,
/// so that passes share the cores side by side; a pass alone on an idle service gets every thread.
struct EmbedPassPlan: Equatable, Sendable {
    /// One waiting request, as the plan sees it.
    struct Request: Equatable, Sendable {
        /// How many texts it carries.
        var texts: Int
        /// The directory of its adapter; nil for the base model.
        var adapter: String?
    }

    /// How many requests to take from the front of the queue; 0 only when nothing waits.
    let requests: Int
    /// How many threads embed the pass.
    let threads: Int

    /// The plan for a worker about to take from `waiting` (in arrival order) while `busyWorkers`
    /// other workers of `workers` embed their passes.
    init(waiting: some Sequence<Request>, busyWorkers: Int, workers: Int, passTexts: Int) {
        var taken = 0
        var texts = 0
        var adapter: String?
        var remains = false
        for request in waiting {
            if taken == 0 {
                adapter = request.adapter
            } else if texts >= passTexts || request.adapter != adapter {
                // The pass is full, or the request is on another adapter: it waits for the next pass.
                remains = true
                break
            }
            texts += request.texts
            taken += 1
        }
        requests = taken
        threads = taken > 0 && busyWorkers == 0 && !remains ? max(1, workers) : 1
    }
}
