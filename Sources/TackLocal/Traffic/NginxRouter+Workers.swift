import Foundation

extension NginxRouter {
    /// The worker processes of `master` now (its children).
    static func workers(of master: ProcessHandle) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry), let stat = try? POSIXRead.string(atPath: "/proc/\(entry)/stat"),
                let close = stat.lastIndex(of: ")")
            else { return nil }
            // After "pid (comm)": state, then ppid.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && fields[0] != "Z" && Int32(fields[1]) == master.pid ? pid : nil
        }
    }

    /// Waits until each of `workers` is gone or shutting down (nginx tells the old workers to
    /// shut down only 100 ms after the new ones start; until then both accept connections), for
    /// at most `loadTimeout`.
    func waitUntilRetired(_ workers: [Int32]) async {
        let deadline = ContinuousClock.now + loadTimeout
        var remaining = workers
        while !remaining.isEmpty && ContinuousClock.now < deadline {
            remaining.removeAll { pid in
                // nginx retitles a worker that stops accepting: "nginx: worker process is shutting down".
                guard let title = try? POSIXRead.string(atPath: "/proc/\(pid)/cmdline") else { return true }
                return title.isEmpty || title.contains("shutting down")
            }
            if !remaining.isEmpty { try? await Task.sleep(for: .milliseconds(5)) }
        }
    }
}
