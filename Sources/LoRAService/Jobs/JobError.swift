/// Why a job request is refused or the job system cannot keep its records.
public enum JobError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The body is not a JSON object (HTTP 400).
    case malformedRequest(reason: String)
    /// The request is JSON but describes an invalid job; every problem, as `lora-train train` words them (HTTP 422).
    case invalidSpec(problems: [String])
    /// The queue is shutting down and takes no new jobs (HTTP 503).
    case notAccepting
    /// A job file or the journal could not be written.
    case cannotWrite(path: String, reason: String)
    /// The journal could not be read, or a record other than the last is damaged.
    case unreadableJournal(path: String, line: Int, reason: String)

    public var description: String {
        switch self {
        case let .malformedRequest(reason): "the request body is not a JSON object: \(reason)"
        case let .invalidSpec(problems): "invalid training job:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
        case .notAccepting: "the service is shutting down and accepts no new jobs"
        case let .cannotWrite(path, reason): "\(path): cannot write: \(reason)"
        case let .unreadableJournal(path, line, reason): line > 0 ? "\(path):\(line): \(reason)" : "\(path): \(reason)"
        }
    }
}
