import ArgumentParser
import TackLocal

/// `tack down`: stops everything the local runtime started.
struct DownCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "down",
        abstract: "Stop the local runtime: the supervisor, every replica, nginx and Prometheus.",
        discussion: "What should run stays recorded, so `tack up` starts it again."
    )

    @OptionGroup var runtime: RuntimeOptions

    func run() async throws {
        do {
            let local = try runtime.makeRuntime()
            try await local.down()
            Console.out("stopped the local runtime in \(local.home.path)\n")
        } catch {
            throw LocalRuntimeError.exit(error)
        }
    }
}
