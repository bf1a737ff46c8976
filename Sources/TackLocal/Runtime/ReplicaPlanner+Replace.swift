import Foundation
import TackCore

extension ReplicaPlanner {
    /// Makes the record of `source` serve as `track` in `workload` (see `ClusterDriver.replace`);
    /// returns false, changing nothing, when `source` does not exist.
    ///
    /// The moved record keeps its replicas (names, processes, generations) and its generation, so
    /// nothing restarts or counts as outdated. `track`'s former replicas join it as terminating
    /// replicas, so the next plan stops them, and `track`'s former record goes. `track` takes
    /// `source`'s traffic share and `source` loses its own.
    func replace(_ track: Track, with source: Track, in workload: inout WorkloadRecord, now: Date) -> Bool {
        guard track != source, var moved = workload[source], !moved.isDeleted else { return false }
        var former = workload[track]?.replicas ?? []
        for index in former.indices { terminate(&former[index], now: now) }
        moved.spec.track = track
        moved.replicas = former + moved.replicas
        var weights = workload.traffic.weights
        weights[track] = weights[source]
        weights[source] = nil
        workload.traffic = TrafficSplit(weights)
        workload[source] = nil
        workload[track] = moved
        return true
    }
}
