import Foundation

/// The jobs' record in the state dir: an append-only file of JSON lines, each a job as it became after a
/// transition or a progress update. The last line for an id is that job's state; a line torn by a crash
/// mid-write is ignored. Not thread-safe: its owner serializes appends.
public final class JobJournal {
    /// The journal file.
    public let path: String
    private var descriptor: Int32
    /// Lines appended since the file last held one line per job.
    public private(set) var appendedSinceCompaction = 0

    /// Opens the journal at `path` for appending after replaying it and compacting it to one line per job
    /// (temporary file, fsync, rename); creates the file and its directory when missing. Returns the jobs, oldest first.
    public static func open(path: String) throws(JobError) -> (journal: JobJournal, jobs: [Job]) {
        let directory = (path as NSString).deletingLastPathComponent
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw .cannotWrite(path: directory, reason: error.localizedDescription)
        }
        let jobs = try replay(path: path)
        try compact(jobs, path: path)
        return (try JobJournal(path: path), jobs)
    }

    /// The jobs the journal at `path` records, oldest first: the last record of each id; nothing when there is no file.
    /// A damaged last line (a crash mid-write) is ignored; a damaged line before it is an error.
    public static func replay(path: String) throws(JobError) -> [Job] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadableJournal(path: path, line: 0, reason: "cannot read the file")
        }
        let lines = [UInt8](data).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let decoder = JSONDecoder()
        var jobs: [JobID: Job] = [:]
        for (index, line) in lines.enumerated() where !line.isEmpty {
            do {
                let job = try decoder.decode(Job.self, from: Data(line))
                jobs[job.id] = job
            } catch {
                let isLast = lines[(index + 1)...].allSatisfy(\.isEmpty)
                if isLast { break }
                throw .unreadableJournal(path: path, line: index + 1, reason: "not a job record: \(error)")
            }
        }
        return jobs.values.sorted { $0.id < $1.id }
    }

    /// Replaces the journal at `path` with one record per job, durably: a temporary file is written,
    /// fsynced and renamed over it, and the directory is fsynced.
    public static func compact(_ jobs: [Job], path: String) throws(JobError) {
        let temporary = path + ".tmp-\(getpid())"
        var bytes: [UInt8] = []
        for job in jobs { bytes += try record(job) }
        do throws(JobError) { try DurableFile.write(bytes, to: temporary) } catch {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let reason = DurableFile.errnoText()
            unlink(temporary)
            throw .cannotWrite(path: path, reason: "rename from \(temporary): \(reason)")
        }
        DurableFile.syncDirectory((path as NSString).deletingLastPathComponent)
    }

    /// A journal open for appending at `path`.
    public init(path: String) throws(JobError) {
        self.path = path
        descriptor = DurableFile.open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard descriptor >= 0 else { throw .cannotWrite(path: path, reason: DurableFile.errnoText()) }
    }

    deinit { close(descriptor) }

    /// Appends `job` as its latest state; with `sync` (state transitions) it is on disk when this returns.
    public func append(_ job: Job, sync: Bool) throws(JobError) {
        let bytes = try Self.record(job)
        if let reason = DurableFile.writeAll(bytes, to: descriptor) { throw .cannotWrite(path: path, reason: reason) }
        if sync, fsync(descriptor) != 0 { throw .cannotWrite(path: path, reason: "fsync: \(DurableFile.errnoText())") }
        appendedSinceCompaction += 1
    }

    /// Whether the journal has grown enough beyond one line per job (`jobs`) to be worth rewriting:
    /// more than 1,000 appended lines and more than 4 per job.
    public func needsCompaction(jobs: Int) -> Bool {
        appendedSinceCompaction > max(1000, 4 * jobs)
    }

    /// Rewrites the open journal as one line per job (as `compact(_:path:)` does) and appends after it.
    /// On failure the old file stays in place and appends go on there.
    public func compact(_ jobs: [Job]) throws(JobError) {
        try Self.compact(jobs, path: path)
        let reopened = DurableFile.open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard reopened >= 0 else { throw .cannotWrite(path: path, reason: DurableFile.errnoText()) }
        close(descriptor)
        descriptor = reopened
        appendedSinceCompaction = 0
    }

    /// One journal line.
    private static func record(_ job: Job) throws(JobError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do { return [UInt8](try encoder.encode(job)) + [UInt8(ascii: "\n")] } catch {
            throw .cannotWrite(path: "job \(job.id)", reason: "cannot encode: \(error)")
        }
    }
}
