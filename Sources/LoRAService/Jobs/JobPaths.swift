import Foundation

/// The directories the job system reads and writes: the model every job adapts, the data root
/// `data_path` is relative to, the output root (`OUTPUT_ROOT/jobs/<id>`) and the state dir (the journal).
public struct JobPaths: Sendable, Equatable {
    /// The base model directory the service loaded; jobs cannot choose another.
    public var modelDirectory: String
    /// The directory `data_path` resolves against; nothing outside it can be read.
    public var dataRoot: String
    /// The root of job outputs; job `id` writes `outputRoot/jobs/id`.
    public var outputRoot: String
    /// The directory holding `jobs.journal`.
    public var stateDirectory: String

    /// The directories, made absolute against the current directory.
    public init(modelDirectory: String, dataRoot: String, outputRoot: String, stateDirectory: String) {
        self.modelDirectory = Self.absolute(modelDirectory)
        self.dataRoot = Self.absolute(dataRoot)
        self.outputRoot = Self.absolute(outputRoot)
        self.stateDirectory = Self.absolute(stateDirectory)
    }

    /// Where job `id` writes its adapter, checkpoints, metrics and (for inline pairs) `pairs.csv`.
    public func outputDirectory(of id: JobID) -> String { outputRoot + "/jobs/" + id.rawValue }

    /// The journal file.
    public var journalPath: String { stateDirectory + "/jobs.journal" }

    private static func absolute(_ path: String) -> String {
        var result = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        while result.count > 1, result.hasSuffix("/") { result.removeLast() }
        return result
    }
}
