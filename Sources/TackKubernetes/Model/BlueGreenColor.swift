/// One of the two Deployments of a blue-green application; which one is live changes on promotion.
enum BlueGreenColor: String, Sendable, Hashable, CaseIterable {
    case blue
    case green

    /// The other color.
    var other: BlueGreenColor { self == .blue ? .green : .blue }
}
