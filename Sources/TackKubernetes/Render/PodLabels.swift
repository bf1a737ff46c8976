import TackCore

/// The labels that select a Deployment's pods and the labels its pod template carries.
enum PodLabels {
    /// The Deployment's selector, fixed for its name's lifetime (Kubernetes forbids changing it):
    /// `{app, track}` for the canary strategy, `{app, tack.dev/color}` for blue-green.
    static func selector(app: String, track: Track, color: BlueGreenColor?) -> [String: String] {
        switch RolloutStrategy(track) {
        case .canary: [ObjectLabels.app: app, ObjectLabels.track: track.rawValue]
        case .blueGreen: [ObjectLabels.app: app, ObjectLabels.color: (color ?? .blue).rawValue]
        }
    }

    /// The pod template's labels: the common ones, the selector, `track` and `version`.
    ///
    /// For blue-green, `track` is the role the color held when its pods were created (`podTrack`);
    /// promotion changes only the Deployment's `tack.dev/track` annotation, so running pods are not
    /// restarted and keep their creation-time `track` label until they restart for another reason.
    static func template(
        app: String, track: Track, color: BlueGreenColor?, podTrack: Track?, image: ImageRef
    ) -> [String: String] {
        var labels = ObjectLabels.common(app: app)
        labels.merge(selector(app: app, track: track, color: color)) { _, selector in selector }
        labels[ObjectLabels.track] = RolloutStrategy(track) == .blueGreen ? (podTrack ?? track).rawValue : track.rawValue
        labels[ObjectLabels.version] = image.version
        return labels
    }

    /// Whether `labels` satisfy every `key=value` of `selector`.
    static func matches(_ selector: [String: String], _ labels: [String: String]) -> Bool {
        !selector.isEmpty && selector.allSatisfy { labels[$0.key] == $0.value }
    }
}
