import TackCore

extension BlueGreenColor {
    /// The color whose Deployment runs `track` (`active` or `preview`), given the role each
    /// existing color's Deployment holds: the color already holding `track`; else the first of
    /// blue, green not holding the other role (a new preview goes beside the active color, a first
    /// active is blue); nil when both colors hold the other role, so neither may be taken over.
    static func choose(for track: Track, roles: [BlueGreenColor: Track]) -> BlueGreenColor? {
        if let held = allCases.first(where: { roles[$0] == track }) { return held }
        let other: Track = track == .preview ? .active : .preview
        return allCases.first { roles[$0] != other }
    }

    /// The color for `track` among `deployments` (Deployments being deleted still hold their color).
    static func choose(for track: Track, deployments: [ObservedDeployment]) -> BlueGreenColor? {
        var roles: [BlueGreenColor: Track] = [:]
        for deployment in deployments {
            guard let color = deployment.color else { continue }
            roles[color] = deployment.track
        }
        return choose(for: track, roles: roles)
    }
}
