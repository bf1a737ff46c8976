import LoRA

/// What a job trains, as `POST /v1/jobs` gave it: the training config keys and the data. The service
/// adds the base model and the output directory; the spec is kept so an interrupted job can run again.
public struct JobSpec: Sendable, Equatable, Codable {
    /// The request's training config keys as a JSON object, without the data and the keys the service decides.
    public var settings: String
    /// Where the training pairs come from.
    public var data: JobData

    /// A spec of `settings` (a JSON object of training config keys) and `data`, not yet validated.
    public init(settings: String, data: JobData) {
        self.settings = settings
        self.data = data
    }
}

/// Where a job's sentence pairs come from.
public enum JobData: Sendable, Equatable, Codable {
    /// Pairs given in the request; submitting the job writes them to `pairs.csv` in its directory.
    case pairs([SentencePair])
    /// A CSV file under the service's data root, as a relative path.
    case dataPath(String)
    /// `pairs.csv` in the job's directory, written from the request's pairs.
    case jobFile

    /// The file name inline pairs are written to, in the job's directory.
    public static let jobFileName = "pairs.csv"

    private enum CodingKeys: String, CodingKey { case pairs, dataPath = "data_path", jobFile = "job_file" }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let pairs = try container.decodeIfPresent([[String]].self, forKey: .pairs) {
            self = .pairs(try pairs.map { pair in
                guard pair.count == 2 else {
                    throw DecodingError.dataCorruptedError(forKey: .pairs, in: container, debugDescription: "a pair has 2 texts")
                }
                return SentencePair(anchor: pair[0], positive: pair[1])
            })
        } else if let path = try container.decodeIfPresent(String.self, forKey: .dataPath) {
            self = .dataPath(path)
        } else if try container.decodeIfPresent(String.self, forKey: .jobFile) != nil {
            self = .jobFile
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "no pairs, data_path or job_file"))
        }
    }

    public func encode(to encoder: any Swift.Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .pairs(let pairs): try container.encode(pairs.map { [$0.anchor, $0.positive] }, forKey: .pairs)
        case .dataPath(let path): try container.encode(path, forKey: .dataPath)
        case .jobFile: try container.encode(Self.jobFileName, forKey: .jobFile)
        }
    }
}
