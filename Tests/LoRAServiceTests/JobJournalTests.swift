import Foundation
import Testing
@testable import LoRAService

@Suite("job journal")
struct JobJournalTests {
    func job(_ number: Int, _ state: JobState = .queued, step: Int = 0) -> Job {
        var job = Job(
            id: JobID("00000000000000000" + String(format: "%03d", number))!, createdAt: Date(timeIntervalSince1970: 1_800_000_000),
            outputDirectory: "/out/jobs/\(number)", spec: JobSpec(settings: "{\"max_steps\": 5}", data: .jobFile))
        job.state = state
        job.progress.step = step
        return job
    }

    @Test("replay keeps each job's last record, oldest job first")
    func replay() throws {
        let fixture = JobFixture()
        let path = fixture.paths.journalPath
        let (journal, jobs) = try JobJournal.open(path: path)
        #expect(jobs.isEmpty)
        try journal.append(job(2), sync: true)
        try journal.append(job(1), sync: true)
        try journal.append(job(2, .running), sync: true)
        try journal.append(job(2, .running, step: 3), sync: false)
        try journal.append(job(1, .cancelled), sync: true)
        let replayed = try JobJournal.replay(path: path)
        #expect(replayed.map(\.id.rawValue) == ["00000000000000000001", "00000000000000000002"])
        #expect(replayed.map(\.state) == [.cancelled, .running])
        #expect(replayed[1].progress.step == 3)
        #expect(replayed[1].spec == JobSpec(settings: "{\"max_steps\": 5}", data: .jobFile))
        #expect(replayed[1].createdAt == Date(timeIntervalSince1970: 1_800_000_000))
    }

    @Test("a running journal that grows past 1,000 lines and 4 per job is rewritten to one line per job and appends on")
    func compactsWhileOpen() throws {
        let fixture = JobFixture()
        let path = fixture.paths.journalPath
        let (journal, _) = try JobJournal.open(path: path)
        try journal.append(job(1, .running), sync: true)
        try journal.append(job(2, .running), sync: true)
        for step in 1...1000 { try journal.append(job(step % 2 + 1, .running, step: step), sync: false) }
        #expect(!journal.needsCompaction(jobs: 300), "4 lines per job is not yet worth a rewrite")
        #expect(journal.needsCompaction(jobs: 2))
        let lines = { (try String(contentsOfFile: path, encoding: .utf8)).split(separator: "\n").count }
        #expect(try lines() == 1002)
        try journal.compact(JobJournal.replay(path: path))
        #expect(try lines() == 2 && journal.appendedSinceCompaction == 0 && !journal.needsCompaction(jobs: 2))
        try journal.append(job(1, .succeeded, step: 1001), sync: true)
        let replayed = try JobJournal.replay(path: path)
        #expect(replayed.map(\.state) == [.succeeded, .running])
        #expect(replayed.map(\.progress.step) == [1001, 999])
        #expect(try lines() == 3)
    }

    @Test("a last line torn by a crash is ignored; a damaged line before it is an error naming the line")
    func tornLine() throws {
        let fixture = JobFixture()
        let path = fixture.paths.journalPath
        let (journal, _) = try JobJournal.open(path: path)
        try journal.append(job(1), sync: true)
        try journal.append(job(1, .running), sync: true)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data("{\"id\":\"00000000000000000001\",\"state\":\"succ".utf8))
        try handle.close()
        #expect(try JobJournal.replay(path: path).map(\.state) == [.running])

        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = "{not json}\n" + text + "\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: JobError.self) { try JobJournal.replay(path: path) }
        do { _ = try JobJournal.replay(path: path) } catch {
            guard case let .unreadableJournal(_, line, _) = error else { Issue.record("unexpected \(error)"); return }
            #expect(line == 1)
        }
    }

    @Test("opening compacts the journal to one line per job, atomically, dropping a torn line")
    func compaction() throws {
        let fixture = JobFixture()
        let path = fixture.paths.journalPath
        do {
            let (journal, _) = try JobJournal.open(path: path)
            for step in 0..<10 { try journal.append(job(1, .running, step: step), sync: false) }
            try journal.append(job(2), sync: true)
        }
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data("{\"id\":".utf8))
        try handle.close()

        let (journal, jobs) = try JobJournal.open(path: path)
        #expect(jobs.map(\.progress.step) == [9, 0])
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.paths.stateDirectory) == ["jobs.journal"])
        try journal.append(job(3), sync: true)
        #expect(try JobJournal.replay(path: path).count == 3, "appends after compaction start on a fresh line")
    }

    @Test("a job's JSON has snake_case keys and ISO 8601 times")
    func encoding() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(job(1)), as: UTF8.self)
        #expect(text.contains("\"created_at\":\"2027-01-15T08:00:00.000Z\""))
        #expect(text.contains("\"output_dir\""))
        #expect(text.contains("\"total_steps\"") == false, "unset figures are left out")
    }
}
