import Foundation

/// Runs the built `lora-train` binary from the repository root, as a user would.
struct LoRATrainRun {
    var status: Int32
    var stdout: String
    var stderr: String

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The `lora-train` beside the test bundle (both are build products of the same configuration).
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("lora-train")

    static let tinyModel = "Tests/LoRATests/Fixtures/tiny-bert"
    static let tinyAdapter = "Tests/LoRATests/Fixtures/tiny-adapter"
    static let miniLM = "models/all-MiniLM-L6-v2"

    init(_ arguments: [String], input: String = "", environment: [String: String] = [:]) throws {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("LORA_") }
            .merging(environment) { $1 }
        process.currentDirectoryURL = Self.repository
        let stdin = Pipe(), out = Pipe(), err = Pipe()
        process.standardInput = stdin
        process.standardOutput = out
        process.standardError = err
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        status = process.terminationStatus
        stdout = String(decoding: outData, as: UTF8.self)
        stderr = String(decoding: errData, as: UTF8.self)
    }

    /// stdout parsed as one JSON object.
    func json() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any] ?? [:]
    }
}
