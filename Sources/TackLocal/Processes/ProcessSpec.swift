/// A program to start: its path, arguments, environment, working directory and log file.
public struct ProcessSpec: Sendable, Hashable, Codable {
    /// The absolute path of the program.
    public var executable: String
    /// The arguments after the program's name.
    public var arguments: [String]
    /// The whole environment of the process (nothing is inherited).
    public var environment: [String: String]
    /// The directory the process starts in, or nil for the caller's.
    public var workingDirectory: String?
    /// The file that stdout and stderr are appended to, or nil for /dev/null.
    public var logPath: String?

    /// Creates a spec; the environment is empty unless given.
    public init(
        executable: String, arguments: [String] = [], environment: [String: String] = [:],
        workingDirectory: String? = nil, logPath: String? = nil
    ) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.logPath = logPath
    }

    /// The command line as one line for messages: the program's file name and its arguments.
    public var commandLine: String {
        ([executable.split(separator: "/").last.map(String.init) ?? executable] + arguments).joined(separator: " ")
    }
}
