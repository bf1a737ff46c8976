import ArgumentParser
import TackLocal

/// `tack status`: what the local runtime runs.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show what the local runtime runs: nginx, Prometheus, and each application's tracks and replicas."
    )

    @OptionGroup var runtime: RuntimeOptions

    @Option(name: [.customShort("o"), .long], help: "Output format: text or json.")
    var output: OutputFormat = .text

    func run() async throws {
        do {
            let local = try runtime.makeRuntime()
            let state = try await local.snapshot()
            switch output {
            case .json: Console.out(try Console.json(RuntimeStatusReport(state, home: local.home)))
            case .text: Console.out(StatusRenderer.text(state, home: local.home))
            }
        } catch {
            throw LocalRuntimeError.exit(error)
        }
    }
}
