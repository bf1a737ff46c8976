import Foundation
import LoRA

extension JobSpec {
    /// The request keys that are not training config keys, or that the service decides.
    static let serviceKeys: Set<String> = ["pairs", "data_path", "base_model", "output_dir", "metadata_path", "train_data_dir"]
    /// The name validation messages give the request body, as `lora-train train` gives the config file's path.
    static let requestName = "request"

    /// Decodes and validates a `POST /v1/jobs` body exactly as `lora-train train` validates a config, reading
    /// the model and data and writing nothing: `.malformedRequest` when it is not a JSON object (400),
    /// `.invalidSpec` with every problem otherwise (422).
    public init(json body: [UInt8], paths: JobPaths) throws(JobError) {
        let object: [String: Any]
        do {
            guard let decoded = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
                throw JobError.malformedRequest(reason: "expected an object of training config keys and pairs or data_path")
            }
            object = decoded
        } catch let error as JobError {
            throw error
        } catch {
            throw .malformedRequest(reason: Self.reason(error))
        }
        guard let members = JSONObjectMembers(body) else { throw .malformedRequest(reason: "expected one JSON object") }

        var problems: [String] = []
        let data = Self.data(in: object, problems: &problems)
        Self.checkServiceKeys(in: object, paths: paths, problems: &problems)
        self.init(settings: members.compacted(removing: Self.serviceKeys), data: data ?? .pairs([]))
        // The body itself (with the other keys blanked out) is validated, so positions point into it.
        let resolved = Self.resolve(
            members.removing(Self.serviceKeys), given: Set(members.members.map(\.key)), data: data,
            outputDirectory: paths.outputRoot + "/jobs/new", paths: paths)
        problems = resolved.problems + problems
        guard problems.isEmpty else { throw .invalidSpec(problems: problems) }
    }

    /// The training config job `id` runs, validated as `lora-train train` validates; reads and writes no job file
    /// except reading the data.
    public func trainingConfig(id: JobID, paths: JobPaths) throws(JobError) -> TrainingConfig {
        let bytes = Array(settings.utf8)
        let given = Set(JSONObjectMembers(bytes)?.members.map(\.key) ?? [])
        let resolved = Self.resolve(bytes, given: given, data: data, outputDirectory: paths.outputDirectory(of: id), paths: paths)
        guard let config = resolved.config, resolved.problems.isEmpty else { throw .invalidSpec(problems: resolved.problems) }
        return config
    }

    /// Decodes `settings` with the service's base model and output directory, validates it and the data,
    /// and points the config at the data file.
    static func resolve(
        _ settings: [UInt8], given: Set<String>, data: JobData?, outputDirectory: String, paths: JobPaths
    ) -> (config: TrainingConfig?, problems: [String]) {
        // The service's values enter as the trainer's own overrides; metadata_path is a stand-in checked below.
        let environment = ["LORA_BASE_MODEL": paths.modelDirectory, "LORA_OUTPUT_DIR": outputDirectory,
                           "LORA_METADATA_PATH": JobData.jobFileName]
        let decoded = TrainingConfig.decode(yaml: settings, path: requestName, environment: environment)
        guard var config = decoded.config else { return (nil, decoded.problems) }
        config.metadataPath = ""
        config.trainDataDir = ""
        var problems = decoded.problems + config.validate()
        guard let data else { return (nil, problems) }
        let location = data.location(paths: paths, outputDirectory: outputDirectory)
        problems += data.problems(at: location, evalSplit: config.evalSplit, paths: paths)
        config.metadataPath = location.file
        config.trainDataDir = location.directory
        // As `TrainingConfig.load` does: an unset max_seq_length is capped by the model.
        if !given.contains("max_seq_length"), let model = try? EncoderConfig(contentsOf: config.baseModel + "/config.json") {
            config.maxSeqLength = min(config.maxSeqLength, model.maxPositions)
        }
        return (problems.isEmpty ? config : nil, problems)
    }

    /// The data the request names: inline `pairs` or a `data_path`, exactly one.
    private static func data(in object: [String: Any], problems: inout [String]) -> JobData? {
        switch (object["pairs"], object["data_path"]) {
        case (nil, nil):
            problems.append("missing the training data: give \"pairs\" (a list of {\"anchor\": …, \"positive\": …}) "
                            + "or \"data_path\" (a CSV file under the service's data root)")
            return nil
        case (.some, .some):
            problems.append("give either \"pairs\" or \"data_path\", not both")
            return nil
        case (nil, let path?):
            guard let path = path as? String, !path.isEmpty else {
                problems.append("data_path: expected a path relative to the data root, such as \"train/pairs.csv\"")
                return nil
            }
            return .dataPath(path)
        case (let value?, nil):
            return pairs(value, problems: &problems).map(JobData.pairs)
        }
    }

    private static func pairs(_ value: Any, problems: inout [String]) -> [SentencePair]? {
        guard let items = value as? [Any] else {
            problems.append("pairs: expected a list of {\"anchor\": …, \"positive\": …} objects")
            return nil
        }
        var pairs: [SentencePair] = []
        let count = problems.count
        for (index, item) in items.enumerated() {
            guard let fields = item as? [String: Any] else {
                problems.append("pairs[\(index)]: expected an object with \"anchor\" and \"positive\"")
                continue
            }
            for key in fields.keys.sorted() where key != "anchor" && key != "positive" {
                problems.append("pairs[\(index)]: unknown key \"\(key)\"; allowed keys: anchor, positive")
            }
            var texts: [String] = []
            for key in ["anchor", "positive"] {
                guard let text = fields[key] as? String, !text.allSatisfy(\.isWhitespace) else {
                    problems.append("pairs[\(index)].\(key): expected a non-empty string")
                    continue
                }
                texts.append(text)
            }
            if texts.count == 2 { pairs.append(SentencePair(anchor: texts[0], positive: texts[1])) }
        }
        return problems.count == count ? pairs : nil
    }

    private static func checkServiceKeys(in object: [String: Any], paths: JobPaths, problems: inout [String]) {
        if let value = object["base_model"] {
            let path = value as? String
            if path.map({ ($0 as NSString).standardizingPath }) != (paths.modelDirectory as NSString).standardizingPath {
                problems.append("base_model: \(path.map { "\"\($0)\"" } ?? "this value") is not the service's model "
                                + "\(paths.modelDirectory); a job trains on the loaded model, so leave base_model out")
            }
        }
        let decided = [
            "output_dir": "the service writes each job to OUTPUT_ROOT/jobs/<id>; leave output_dir out",
            "metadata_path": "give the data as \"pairs\" or as \"data_path\" under the data root, not metadata_path",
            "train_data_dir": "data_path is relative to the service's data root; leave train_data_dir out",
        ]
        for (key, message) in decided.sorted(by: { $0.key < $1.key }) where object[key] != nil {
            problems.append("\(key): \(message)")
        }
    }

    private static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        return (nsError.userInfo[NSDebugDescriptionErrorKey] as? String) ?? nsError.localizedDescription
    }
}
