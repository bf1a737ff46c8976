import Foundation
import LoRA

extension JobData {
    /// Where a job's pairs file is (or will be) and the directory it lies in.
    struct Location {
        var file: String
        var directory: String
    }

    /// The pairs file of this data for a job writing to `outputDirectory`.
    func location(paths: JobPaths, outputDirectory: String) -> Location {
        switch self {
        case .pairs, .jobFile: Location(file: outputDirectory + "/" + Self.jobFileName, directory: outputDirectory)
        case .dataPath(let path): Location(file: paths.dataRoot + "/" + path, directory: paths.dataRoot)
        }
    }

    /// Every problem with the pairs, worded as `lora-train train` words them for `metadata_path`: a path that
    /// leaves the data root, a missing or malformed CSV, fewer than 2 pairs, or an eval_split leaving too few.
    func problems(at location: Location, evalSplit: Double, paths: JobPaths) -> [String] {
        let name: String, bytes: [UInt8]
        switch self {
        case .pairs(let pairs):
            name = "pairs"
            bytes = Self.csv(pairs)
        case .jobFile:
            name = location.file
            guard let read = FileManager.default.contents(atPath: location.file) else {
                return ["\(location.file) does not exist; the job's pairs were lost"]
            }
            bytes = [UInt8](read)
        case .dataPath(let path):
            name = path
            if let problem = Self.escape(path, root: paths.dataRoot) { return ["data_path: " + problem] }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: location.file, isDirectory: &isDirectory) else {
                return ["data_path: \(path) does not exist under the data root"]
            }
            guard !isDirectory.boolValue, let read = FileManager.default.contents(atPath: location.file) else {
                return ["data_path: \(path) is a directory, not a CSV file"]
            }
            bytes = [UInt8](read)
        }
        let pairs: [SentencePair]
        do { pairs = try PairsCSV.parse(bytes, path: name) } catch { return [error.description] }
        guard pairs.count >= 2 else {
            return ["\(name): has \(pairs.count) pair\(pairs.count == 1 ? "" : "s"); training needs at least 2, each the other's negative"]
        }
        guard evalSplit > 0, evalSplit < 1 else { return [] }
        let held = EvalSplit.evalCount(pairCount: pairs.count, share: evalSplit)
        guard pairs.count - held < 2 else { return [] }
        return ["eval_split: \(evalSplit) holds out \(held) of \(pairs.count) pairs, "
                + "leaving \(pairs.count - held) for training; at least 2 are needed"]
    }

    /// Why `path` is not a file under `root`: absolute, climbing out with `..`, or leading out through a link.
    static func escape(_ path: String, root: String) -> String? {
        if path.hasPrefix("/") { return "\(path) is absolute; give a path relative to the data root" }
        if path.split(separator: "/").contains("..") { return "\(path) contains \"..\"; give a path under the data root" }
        let real = (root + "/" + path as NSString).resolvingSymlinksInPath
        let realRoot = (root as NSString).resolvingSymlinksInPath
        guard real == realRoot || real.hasPrefix(realRoot.hasSuffix("/") ? realRoot : realRoot + "/") else {
            return "\(path) leads outside the data root through a symbolic link"
        }
        return nil
    }

    /// `pairs` as an RFC 4180 CSV with an `anchor,positive` header, every field quoted.
    static func csv(_ pairs: [SentencePair]) -> [UInt8] {
        func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        var text = "anchor,positive\n"
        for pair in pairs { text += quoted(pair.anchor) + "," + quoted(pair.positive) + "\n" }
        return Array(text.utf8)
    }
}
