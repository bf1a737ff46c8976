import Foundation
import TackYAML

/// Finds the kubeconfig files as kubectl does and makes a connection from them: an explicit path
/// wins over `KUBECONFIG`, which wins over `~/.kube/config`; with none of them, inside a pod, the
/// pod's service account (as client-go's clientcmd falls back to in-cluster config).
public enum KubeconfigLoader {
    /// The connection of `context` (nil: `current-context`) in the kubeconfig files in effect, or
    /// the in-cluster connection when no kubeconfig is given or found and the process runs in a pod.
    /// `environment` gives `KUBECONFIG` and is what exec plugins inherit.
    public static func connection(
        kubeconfig: String? = nil, context: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        homeDirectory: String = NSHomeDirectory()
    ) throws(KubeError) -> KubeConnection {
        let home = (homeDirectory as NSString).appendingPathComponent(".kube/config")
        if kubeconfig == nil, context == nil, environment["KUBECONFIG"]?.isEmpty ?? true, !exists(home),
           environment["KUBERNETES_SERVICE_HOST"]?.isEmpty == false {
            return try InClusterConfig.connection(environment: environment)
        }
        return try load(kubeconfig: kubeconfig, environment: environment, homeDirectory: homeDirectory)
            .connection(context: context, environment: environment)
    }

    /// The merged kubeconfig in effect.
    public static func load(
        kubeconfig: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment,
        homeDirectory: String = NSHomeDirectory()
    ) throws(KubeError) -> Kubeconfig {
        try Kubeconfig.load(paths: paths(kubeconfig: kubeconfig, environment: environment, homeDirectory: homeDirectory))
    }

    /// The files to read: `kubeconfig` when given (it must exist); else the `KUBECONFIG` list
    /// (colon-separated, empty entries and missing files skipped, but one must exist); else
    /// `~/.kube/config`.
    public static func paths(
        kubeconfig: String?, environment: [String: String], homeDirectory: String
    ) throws(KubeError) -> [String] {
        if let kubeconfig {
            guard exists(kubeconfig) else { throw .configuration("the kubeconfig file \(kubeconfig) does not exist") }
            return [kubeconfig]
        }
        if let list = environment["KUBECONFIG"], !list.isEmpty {
            var seen: Set<String> = []
            let entries = list.split(separator: ":").map(String.init).filter { !$0.isEmpty && seen.insert($0).inserted }
            let found = entries.filter(exists)
            guard !found.isEmpty else {
                throw .configuration(entries.isEmpty
                    ? "KUBECONFIG names no file"
                    : "none of the files in KUBECONFIG exists: \(entries.listed(limit: 4))")
            }
            return found
        }
        let path = (homeDirectory as NSString).appendingPathComponent(".kube/config")
        guard exists(path) else {
            throw .configuration("\(path) does not exist and KUBECONFIG is not set; give a kubeconfig file or set KUBECONFIG")
        }
        return [path]
    }

    private static func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: Kubeconfig.absolute(path))
    }
}
