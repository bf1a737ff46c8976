import ArgumentParser

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
}
