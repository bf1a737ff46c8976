import TackCore
import Foundation

/// Finds the accounts file for a pipeline: `--accounts FILE`, else `$TACK_ACCOUNTS`, else
/// `tack.yaml` in the current directory, else `tack.yaml` beside the pipeline file.
public enum AccountsLocation {
    /// The file name looked for.
    public static let fileName = "tack.yaml"
    /// The environment variable naming the accounts file.
    public static let environmentVariable = "TACK_ACCOUNTS"

    /// The accounts file for `pipelinePath`, or nil when none of the places has one.
    public static func resolve(explicit: String?, environment: [String: String], pipelinePath: String,
                               exists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }) -> String? {
        if let explicit { return explicit }
        if let fromEnvironment = environment[environmentVariable], !fromEnvironment.isEmpty { return fromEnvironment }
        if exists(fileName) { return fileName }
        let directory = (pipelinePath as NSString).deletingLastPathComponent
        let beside = directory.isEmpty ? fileName : (directory as NSString).appendingPathComponent(fileName)
        return exists(beside) ? beside : nil
    }

    /// What to tell a user when no accounts file is found.
    public static let notFoundMessage =
        "no accounts file found: pass --accounts FILE, set \(environmentVariable), or put \(fileName) in the current directory or beside the pipeline"
}
