import KubeAPI
import TackCore

/// A Deployment Tack manages, as read back from the cluster: which track and color it holds, the
/// image it should run and its rollout counters.
struct ObservedDeployment: Sendable, Hashable {
    /// `metadata.name`.
    var name: String
    /// The role it holds now: the `tack.dev/track` annotation (blue-green, changed on promotion),
    /// else the pod template's `track` label.
    var track: Track
    /// The blue-green color (from the selector), nil for the canary strategy.
    var color: BlueGreenColor?
    /// The pod template's `track` label: the role the color held when its pods were created.
    var podTrack: Track?
    /// The image it should run: the `tack.dev/image` annotation, else the container's image.
    var image: ImageRef
    /// `spec.selector.matchLabels`.
    var selector: [String: String]
    /// Whether it is being deleted (`metadata.deletionTimestamp` is set).
    var isDeleting: Bool
    /// The counters kubectl reads.
    var rollout: DeploymentRollout

    /// The Deployment's view, or nil when it names no track (not one of Tack's).
    init?(_ deployment: JSONValue) {
        let template = deployment[path: ["spec", "template", "metadata", "labels"]]?.object?.compactMapValues(\.string) ?? [:]
        let podTrack = template[ObjectLabels.track].flatMap(Track.init(rawValue:))
        guard let track = deployment.annotations[ObjectLabels.trackAnnotation].flatMap(Track.init(rawValue:)) ?? podTrack
        else { return nil }
        let selector = deployment[path: ["spec", "selector", "matchLabels"]]?.object?.compactMapValues(\.string) ?? [:]
        self.name = deployment.name ?? ""
        self.track = track
        self.color = (selector[ObjectLabels.color] ?? template[ObjectLabels.color]).flatMap(BlueGreenColor.init(rawValue:))
        self.podTrack = podTrack
        self.image = Self.image(deployment, app: template[ObjectLabels.app])
        self.selector = selector
        self.isDeleting = deployment[path: ["metadata", "deletionTimestamp"]]?.string != nil
        self.rollout = DeploymentRollout(deployment: deployment)
    }

    /// The pinned reference from the annotation, else the image of the container named after the
    /// app (or the first); a reference that does not parse is kept verbatim as the path.
    private static func image(_ deployment: JSONValue, app: String?) -> ImageRef {
        let containers = deployment[path: ["spec", "template", "spec", "containers"]]?.array ?? []
        let container = containers.first { $0["name"]?.string == app } ?? containers.first
        let text = deployment.annotations[ObjectLabels.imageAnnotation] ?? container?["image"]?.string ?? ""
        return (try? ImageRef(parsing: text)) ?? ImageRef(domain: nil, path: text, tag: nil, digest: nil)
    }
}
