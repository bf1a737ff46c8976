import ArgumentParser
import LoRA

/// The `lora-train` command line: train LoRA adapters for a BERT-family encoder and use them.
@main
struct LoRATrain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lora-train",
        abstract: "Train LoRA adapters for BERT-family sentence encoders on the CPU, and embed text with them.",
        discussion: """
            Exit codes: 0 success; 1 invalid input (every problem of a config is printed at once); \
            64 wrong command-line usage; 70 an internal error.
            """,
        subcommands: [TrainCommand.self, ServeCommand.self, EmbedCommand.self, RecommendCommand.self, BenchmarkCommand.self]
    )

    /// Parses and runs a command, with freed activation memory kept for the next pass.
    static func main() async {
        do {
            var command = try parseAsRoot()
            // The server's threads keep a heap each; training shares one (see retainFreedMemory).
            retainFreedMemory(sharedHeap: !(command is ServeCommand))
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
