import Foundation

/// The name and nice value of every thread of this process, from `/proc/self/task`.
struct ThreadNiceness: CustomStringConvertible {
    let name: String
    let nice: Int

    var description: String { "\(name)=\(nice)" }

    static func all() -> [ThreadNiceness] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return tasks.compactMap { task in
            guard let stat = try? String(contentsOfFile: "/proc/self/task/\(task)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")"),
                  let open = stat.firstIndex(of: "(") else { return nil }
            // After "pid (comm) ", the fields from state (3) on; nice is field 19.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 16, let nice = Int(fields[16]) else { return nil }
            return ThreadNiceness(name: String(stat[stat.index(after: open)..<close]), nice: nice)
        }
    }
}
