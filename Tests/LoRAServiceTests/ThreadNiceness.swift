import Foundation

/// The name, nice value and scheduling policy (0 normal, 5 SCHED_IDLE) of every thread of this
/// process, from `/proc/self/task`.
struct ThreadNiceness: CustomStringConvertible {
    let name: String
    let nice: Int
    let policy: Int

    var description: String { "\(name)=\(nice)/\(policy)" }

    static func all() -> [ThreadNiceness] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return tasks.compactMap { task in
            guard let stat = try? String(contentsOfFile: "/proc/self/task/\(task)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")"),
                  let open = stat.firstIndex(of: "(") else { return nil }
            // After "pid (comm) ", the fields from state (3) on; nice is field 19, policy field 41.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 38, let nice = Int(fields[16]), let policy = Int(fields[38]) else { return nil }
            return ThreadNiceness(name: String(stat[stat.index(after: open)..<close]), nice: nice, policy: policy)
        }
    }
}
