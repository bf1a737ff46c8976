import ArgumentParser
import Foundation
import TackLocal

/// `--home DIR`: the local runtime's state directory (default `$TACK_HOME`, else `./.tack`).
struct RuntimeOptions: ParsableArguments {
    @Option(name: .long, help: "The local runtime's state directory (default: $TACK_HOME, else ./.tack).")
    var home: String?

    var runtimeHome: RuntimeHome {
        home.map(RuntimeHome.init(path:)) ?? RuntimeHome.fromEnvironment()
    }

    /// The runtime, printing its announcements (such as the plain-process fallback) to stderr.
    func makeRuntime() throws -> LocalRuntime {
        try LocalRuntime(home: runtimeHome, announce: { Console.err("tack: \($0)\n") })
    }
}

extension LocalRuntimeError {
    /// Prints the error as the CLI does and exits 1.
    static func exit(_ error: any Error) -> ExitCode {
        Console.err("error: \(error)\n")
        return ExitCode(1)
    }
}
