/// The label and annotation keys Tack writes, and the labels every object carries.
enum ObjectLabels {
    static let name = "app.kubernetes.io/name"
    static let managedBy = "app.kubernetes.io/managed-by"
    static let app = "app"
    static let track = "track"
    static let version = "version"
    static let color = "tack.dev/color"

    /// Annotation on a blue-green Deployment: the role (`active` or `preview`) its color holds now.
    static let trackAnnotation = "tack.dev/track"
    /// Annotation on a Deployment: the full image reference it should run, pinned by digest.
    static let imageAnnotation = "tack.dev/image"

    /// The field manager of Tack's server-side applies, and the `managed-by` label's value.
    static let manager = "tack"

    /// The labels on every object of `app`.
    static func common(app: String) -> [String: String] {
        [name: app, managedBy: manager, self.app: app]
    }

    /// The label selector (`key=value,key=value`) listing every object Tack manages for `app`, pods included.
    static func listSelector(app: String) -> String {
        "\(name)=\(app),\(managedBy)=\(manager)"
    }
}
