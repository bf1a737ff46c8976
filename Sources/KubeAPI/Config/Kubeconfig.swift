import Foundation
import TackYAML

/// The kubeconfig files in effect, merged as kubectl merges `KUBECONFIG`: the first file to set
/// `current-context` or to define a named cluster, user or context wins, whole; later files never
/// change it.
public struct Kubeconfig: Sendable {
    /// The files read, absolute, in order.
    public let files: [String]
    /// The first `current-context` set, if any.
    public let currentContext: String?
    var clusters: [String: KubeconfigEntry] = [:]
    var users: [String: KubeconfigEntry] = [:]
    var contexts: [String: KubeconfigEntry] = [:]

    /// The names of every context, sorted.
    public var contextNames: [String] { contexts.keys.sorted() }

    /// Reads and merges the files at `paths` (relative ones resolve against the working directory);
    /// each must exist. Errors name the file and, for a bad node, its line and column.
    public static func load(paths: [String]) throws(KubeError) -> Kubeconfig {
        let files = try paths.map { (path) throws(KubeError) in try KubeconfigFile.load(path: absolute(path)) }
        return Kubeconfig(merging: files)
    }

    /// Merges parsed files, first wins.
    init(merging files: [KubeconfigFile]) {
        self.files = files.map(\.path)
        currentContext = files.lazy.compactMap(\.currentContext).first
        for file in files {
            for entry in file.clusters where clusters[entry.name] == nil { clusters[entry.name] = entry }
            for entry in file.users where users[entry.name] == nil { users[entry.name] = entry }
            for entry in file.contexts where contexts[entry.name] == nil { contexts[entry.name] = entry }
        }
    }

    /// `path` made absolute against the working directory, so entries resolve relative paths
    /// against the right directory.
    static func absolute(_ path: String) -> String {
        KubeconfigReader.join(FileManager.default.currentDirectoryPath, path)
    }

    /// The files for messages: `/a/config` or `/a/config, /b/config`.
    var filesListed: String { files.listed(limit: 4) }
}
