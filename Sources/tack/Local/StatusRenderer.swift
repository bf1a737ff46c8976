import Foundation
import TackCore
import TackLocal

/// `tack status` and `tack up` output: the runtime's processes and each application's replicas.
enum StatusRenderer {
    /// The few lines `tack up` prints: where the runtime is and what it serves.
    static func summary(_ state: RuntimeState, home: RuntimeHome) -> String {
        var lines = ["local runtime in \(home.path) (replicas run as \(state.containerRuntime ?? "?"))"]
        if let port = state.prometheusPort { lines.append("prometheus: http://127.0.0.1:\(port)") }
        for workload in state.workloads {
            lines.append("\(workload.account)/\(workload.app): http://127.0.0.1:\(workload.listenPort) (\(workload.traffic))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The full text status: processes, then one block per application with a replica table.
    static func text(_ state: RuntimeState, home: RuntimeHome) -> String {
        var out = "RUNTIME  \(home.path)  \(state.isUp ? "up" : "down")  replicas as \(state.containerRuntime ?? "?")\n"
        out += "nginx       \(describe(state.router))\n"
        out += "prometheus  \(describe(state.prometheus))\(state.prometheusPort.map { "  http://127.0.0.1:\($0)" } ?? "")\n"
        out += "supervisor  \(describe(state.supervisor))\n"
        for workload in state.workloads {
            let endpoints = WorkloadEndpoints(port: workload.listenPort, previewPort: workload.previewPort)
            out += "\nAPP \(workload.app)  ACCOUNT \(workload.account)  \(endpoints.url)"
                + (endpoints.previewURL.map { "  preview \($0)" } ?? "") + "  traffic \(workload.traffic)\n"
            var rows = [["TRACK", "REPLICA", "VERSION", "PORT", "PID", "READY", "RESTARTS", "STATUS"]]
            for track in workload.tracks {
                for replica in track.replicas {
                    let status =
                        replica.isTerminating ? "terminating"
                        : replica.process?.isRunning == true ? "running"
                        : replica.backoffUntil != nil ? "back-off (\(replica.lastTermination ?? "ended"))" : "pending"
                    rows.append([
                        track.spec.track.rawValue, replica.name, replica.image.version, String(replica.port),
                        replica.process.map { String($0.pid) } ?? "-", replica.isReady ? "yes" : "no",
                        String(replica.restarts), status,
                    ])
                }
            }
            out += table(rows)
        }
        return out
    }

    private static func describe(_ handle: ProcessHandle?) -> String {
        guard let handle else { return "not started" }
        return handle.isRunning ? "running (pid \(handle.pid))" : "not running (was pid \(handle.pid))"
    }

    /// Columns padded to their widest cell, two spaces apart, as kubectl prints.
    static func table(_ rows: [[String]]) -> String {
        guard let first = rows.first else { return "" }
        let widths = first.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}

/// `tack status -o json`: the recorded state with each process's liveness.
struct RuntimeStatusReport: Encodable {
    var home: String
    var isUp: Bool
    var containerRuntime: String?
    var nginx: ProcessReport?
    var prometheus: ProcessReport?
    var prometheusURL: String?
    var supervisor: ProcessReport?
    var applications: [ApplicationReport]

    struct ProcessReport: Encodable {
        var pid: Int32
        var running: Bool
        init?(_ handle: ProcessHandle?) {
            guard let handle else { return nil }
            pid = handle.pid
            running = handle.isRunning
        }
    }

    struct ApplicationReport: Encodable {
        var account: String
        var app: String
        var url: String
        var previewURL: String?
        var traffic: TrafficSplit
        var status: WorkloadStatus
        var replicas: [ReplicaRecord]
    }

    init(_ state: RuntimeState, home: RuntimeHome) {
        self.home = home.path
        isUp = state.isUp
        containerRuntime = state.containerRuntime
        nginx = ProcessReport(state.router)
        prometheus = ProcessReport(state.prometheus)
        prometheusURL = state.prometheusPort.map { "http://127.0.0.1:\($0)" }
        supervisor = ProcessReport(state.supervisor)
        applications = state.workloads.map { workload in
            ApplicationReport(
                account: workload.account, app: workload.app, url: "http://127.0.0.1:\(workload.listenPort)",
                previewURL: workload.previewPort.map { "http://127.0.0.1:\($0)" }, traffic: workload.traffic,
                status: LocalRuntime.status(of: workload),
                replicas: workload.tracks.flatMap(\.replicas))
        }
    }
}
