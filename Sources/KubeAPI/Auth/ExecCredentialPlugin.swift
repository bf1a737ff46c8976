import Foundation
import TackYAML

/// Credentials from a client-go exec plugin (`aws eks get-token`, `gke-gcloud-auth-plugin`,
/// `kubelogin`): run when needed, cached until shortly before `expirationTimestamp` or until
/// `invalidate()`; callers asking at once share one run.
public actor ExecCredentialPlugin: CredentialSource {
    /// The plugin and how to run it.
    public nonisolated let configuration: ExecPluginConfiguration
    /// Where a relative command path resolves: the kubeconfig's directory.
    public nonisolated let directory: String
    /// A credential is fetched again this long before it expires.
    public static let refreshMargin: TimeInterval = 10
    private let environment: [String: String]
    private let now: @Sendable () -> Date
    private var cached: ExecCredentialReply?
    private var running: Task<Result<ExecCredentialReply, KubeError>, Never>?

    /// A plugin source; `environment` is what the plugin inherits (under `configuration.environment`)
    /// and whose `PATH` finds a bare command; `now` is the clock, for tests.
    public init(
        _ configuration: ExecPluginConfiguration, directory: String, environment: [String: String],
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.configuration = configuration
        self.directory = directory
        self.environment = environment
        self.now = now
    }

    /// The cached credential while it is fresh; else the plugin's new one.
    public func credential() async throws(KubeError) -> KubeCredential {
        if let cached, isFresh(cached) { return cached.credential }
        guard !Task.isCancelled else { throw .cancelled }
        let run = running ?? startRun()
        let result = await run.value
        if running == run {
            running = nil
            if case .success(let reply) = result { cached = reply }
        }
        return try result.get().credential
    }

    /// Forgets the credential, so the next call runs the plugin.
    public func invalidate() async {
        cached = nil
    }

    private func isFresh(_ reply: ExecCredentialReply) -> Bool {
        guard let expiry = reply.expiry else { return true }
        return now() < expiry.addingTimeInterval(-Self.refreshMargin)
    }

    private func startRun() -> Task<Result<ExecCredentialReply, KubeError>, Never> {
        let (configuration, directory, environment) = (configuration, directory, environment)
        let run = Task { () async -> Result<ExecCredentialReply, KubeError> in
            do throws(KubeError) {
                return .success(try await Self.fetch(configuration, directory: directory, environment: environment))
            } catch {
                return .failure(error)
            }
        }
        running = run
        return run
    }

    /// Runs the plugin once and parses what it printed.
    private static func fetch(
        _ configuration: ExecPluginConfiguration, directory: String, environment: [String: String]
    ) async throws(KubeError) -> ExecCredentialReply {
        let name = "exec plugin \(configuration.command.quoted(upTo: 1024))" + (configuration.origin.isEmpty ? "" : " (\(configuration.origin))")
        let executable = try resolve(configuration, directory: directory, environment: environment, plugin: name)
        var variables = environment
        for variable in configuration.environment { variables[variable.name] = variable.value }
        variables["KUBERNETES_EXEC_INFO"] = configuration.execInfo
        let outcome = await PluginProcess.run(
            executable: executable, arguments: configuration.arguments, environment: variables, timeout: configuration.timeout)
        let detail = failureDetail(outcome)
        switch outcome.ending {
        case .failedToStart(let reason):
            throw .credentials("\(name) could not be started (\(executable): \(reason))")
        case .timedOut:
            throw .credentials("\(name) did not finish within \(configuration.timeout) and was killed")
        case .signalled(let signal):
            throw .credentials("\(name) was killed by signal \(signal)\(detail)")
        case .exited(let status) where status != 0:
            throw .credentials("\(name) exited with status \(status)\(detail)")
        case .exited:
            break
        }
        guard !outcome.stdoutTooLarge else {
            throw .credentials("\(name) printed more than \(PluginProcess.maxStdout) bytes; an ExecCredential is a few kilobytes")
        }
        return try ExecCredentialReply.parse(outcome.stdout, configuration: configuration, plugin: name)
    }

    /// `: ` and stderr's first line, for a plugin that failed: what the user needs to act ("run aws
    /// sso login"), with the secrets the plugin printed on stdout and anything credential-shaped
    /// blanked. Nothing else of stdout is shown.
    private static func failureDetail(_ outcome: PluginProcess.Outcome) -> String {
        let line = String(decoding: outcome.stderr, as: UTF8.self)
            .split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard !line.isEmpty else { return "" }
        let status = (try? JSONValue.parse(outcome.stdout))?["status"]
        let printed = ["token", "clientKeyData", "clientCertificateData"].compactMap { status?[$0]?.string }
        let shown = SecretRedaction.redacted(line, known: printed)
        return ": " + (shown.count > 200 ? shown.prefix(200) + "…" : shown)
    }

    /// The executable: a path with a slash (relative to `directory`), or a bare name found in `PATH`.
    private static func resolve(
        _ configuration: ExecPluginConfiguration, directory: String, environment: [String: String], plugin: String
    ) throws(KubeError) -> String {
        let command = configuration.command
        let hint = configuration.installHint.map { "\n\($0.trimmingCharacters(in: .whitespacesAndNewlines))" } ?? ""
        let fileManager = FileManager.default
        if command.contains("/") {
            let path = KubeconfigReader.join(directory, command)
            guard fileManager.fileExists(atPath: path) else { throw .credentials("\(plugin) not found: \(path) does not exist\(hint)") }
            guard fileManager.isExecutableFile(atPath: path) else { throw .credentials("\(plugin): \(path) is not executable") }
            return path
        }
        let searchPath = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for entry in searchPath.split(separator: ":") where !entry.isEmpty {
            let path = (String(entry) as NSString).appendingPathComponent(command)
            var isDirectory: ObjCBool = false
            if fileManager.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
               fileManager.isExecutableFile(atPath: path) {
                return path
            }
        }
        throw .credentials("\(plugin) not found in PATH\(hint)")
    }
}

extension ExecCredentialPlugin: CustomStringConvertible, CustomReflectable {
    /// The command and variable names, never a credential or a variable's value.
    public nonisolated var description: String { configuration.description }

    /// Shows the configuration's description only, so `dump` never reaches the cached credential.
    public nonisolated var customMirror: Mirror { Mirror(self, children: ["configuration": description]) }
}
