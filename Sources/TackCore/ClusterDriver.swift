/// One account's cluster as the engine sees it: run tracks of an application, scale them, split
/// their traffic and report their status. Every operation is idempotent: repeating it with the
/// same arguments changes nothing. Kubernetes and local accounts implement it; the engine never
/// imports a driver.
public protocol ClusterDriver: Sendable {
    /// The account this driver acts in.
    var account: String { get }

    /// The image pinned by digest, so that every account runs the same bytes.
    func resolve(_ image: ImageRef) async throws -> ImageRef

    /// Makes the track run `spec`: creates it, or rolls its replicas to a new image or settings.
    func apply(_ spec: TrackSpec) async throws

    /// Sets the number of replicas of a track that exists.
    func scale(app: String, track: Track, replicas: Int) async throws

    /// Removes a track and its replicas; removing a track that does not exist succeeds.
    func delete(app: String, track: Track) async throws

    /// Makes the replicas of `source` serve as `track` (blue-green's promotion after the switch):
    /// `track`'s former replicas are removed, `source`'s traffic share moves to `track`, and
    /// `source` no longer exists. When `source` does not exist, nothing happens.
    func replace(app: String, _ track: Track, with source: Track) async throws

    /// Routes the application's traffic by `split`; a track without ready replicas gets none.
    func setTraffic(app: String, _ split: TrafficSplit) async throws

    /// What runs for the application now, or an empty status when nothing does.
    func status(app: String) async throws -> WorkloadStatus
}
