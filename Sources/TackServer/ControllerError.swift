/// What goes wrong starting the controller, in words a user can act on; never holds the token.
public enum ControllerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The token file cannot be read or written.
    case tokenFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .tokenFile(let path, let reason): "the controller token file \(path): \(reason)"
        }
    }
}
