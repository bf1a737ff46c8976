import Foundation
import TackCore

/// Everything the local runtime started and what it should run, as `$TACK_HOME/runtime.json`
/// records it. Any `tack` process may run a pass over it (under the state lock), so a crashed
/// process leaves nothing unaccounted for: `tack up` adopts what still runs, `tack down` stops it.
public struct RuntimeState: Sendable, Hashable, Codable {
    /// The format version of the file.
    public var format: Int = 1
    /// Whether the runtime is up (`tack up`, or a driver call): passes keep nginx and Prometheus
    /// running. `tack down` clears it.
    public var isUp: Bool = false
    /// The nginx master, when started.
    public var router: ProcessHandle?
    /// The port of the router's control listener.
    public var routerControlPort: Int?
    /// The embedded Prometheus, when started.
    public var prometheus: ProcessHandle?
    /// The port the embedded Prometheus listens on.
    public var prometheusPort: Int?
    /// The background supervisor (`tack up`), when one runs.
    public var supervisor: ProcessHandle?
    /// How replicas run: `runc` or `process`.
    public var containerRuntime: String?
    /// The applications in each account.
    public var workloads: [WorkloadRecord] = []
    /// The serial number of the next replica (names are never reused).
    public var nextReplicaSerial: Int = 1

    /// An empty state.
    public init() {}

    /// The index of the application's record in an account, when it exists.
    public func workloadIndex(account: String, app: String) -> Int? {
        workloads.firstIndex { $0.account == account && $0.app == app }
    }

    /// Every replica with the account and application it belongs to.
    public var allReplicas: [(account: String, app: String, track: Track, replica: ReplicaRecord)] {
        workloads.flatMap { workload in
            workload.tracks.flatMap { track in
                track.replicas.map { (workload.account, workload.app, track.spec.track, $0) }
            }
        }
    }

    /// Every port the state holds (listeners, replicas, Prometheus, the router's control port).
    public var usedPorts: Set<Int> {
        var ports = Set(workloads.map(\.listenPort) + workloads.compactMap(\.previewPort))
        for entry in allReplicas { ports.insert(entry.replica.port) }
        if let routerControlPort { ports.insert(routerControlPort) }
        if let prometheusPort { ports.insert(prometheusPort) }
        return ports
    }
}
