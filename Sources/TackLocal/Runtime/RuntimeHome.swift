import Foundation

/// The runtime's state directory (`$TACK_HOME`, default `./.tack`) and the paths inside it.
public struct RuntimeHome: Sendable, Hashable {
    /// The directory, absolute.
    public let path: String

    /// The state directory at `path`, made absolute.
    public init(path: String) {
        self.path = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    /// `$TACK_HOME` when set, else `./.tack`.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> RuntimeHome {
        RuntimeHome(path: environment["TACK_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? ".tack")
    }

    /// The state file.
    public var stateFile: String { path + "/runtime.json" }
    /// The lock file that serialises passes of several `tack` processes.
    public var lockFile: String { path + "/runtime.lock" }
    /// The local image store.
    public var images: String { path + "/images" }
    /// The nginx prefix directory.
    public var router: String { path + "/nginx" }
    /// The embedded Prometheus's directory.
    public var prometheus: String { path + "/prometheus" }
    /// runc's state root for Tack's containers.
    public var runcRoot: String { path + "/runc" }
    /// The directory of one replica: its bundle, log and writable directories.
    public func replica(_ name: String) -> String { path + "/replicas/" + name }
    /// The log of one replica.
    public func replicaLog(_ name: String) -> String { replica(name) + "/replica.log" }
    /// The supervisor's log.
    public var supervisorLog: String { path + "/supervisor.log" }
}
