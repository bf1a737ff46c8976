import TackCore

/// The names of an application's objects in its namespace.
struct ObjectNames: Sendable, Hashable {
    /// The application.
    var app: String

    /// The Deployment of `track`: `<app>` and `<app>-canary`, or for blue-green `<app>-<color>`
    /// (`color` is ignored for the canary strategy and taken as blue when nil).
    func deployment(_ track: Track, color: BlueGreenColor?) -> String {
        switch track {
        case .stable: app
        case .canary: "\(app)-canary"
        case .active, .preview: deployment(color ?? .blue)
        }
    }

    /// The Deployment of a blue-green color: `<app>-blue` or `<app>-green`.
    func deployment(_ color: BlueGreenColor) -> String { "\(app)-\(color.rawValue)" }

    /// The Service selecting only `track`'s pods: `<app>-stable`, `<app>-canary`, `<app>` (active), `<app>-preview`.
    func service(_ track: Track) -> String {
        switch track {
        case .stable: "\(app)-stable"
        case .canary: "\(app)-canary"
        case .active: app
        case .preview: "\(app)-preview"
        }
    }

    /// The Service clients use: `<app>` (both canary tracks by replica ratio, or the active color).
    var service: String { app }

    /// The HTTPRoute splitting traffic between `<app>-stable` and `<app>-canary`.
    var httpRoute: String { app }

    /// The Services of `strategy`, in a stable order.
    func services(_ strategy: RolloutStrategy) -> [String] {
        switch strategy {
        case .canary: [service(.stable), service(.canary), service]
        case .blueGreen: [service(.active), service(.preview)]
        }
    }
}
