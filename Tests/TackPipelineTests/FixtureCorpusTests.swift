import TackCore
import Foundation
import TackPipeline
import Testing

/// The fixture corpus: every file under Fixtures/invalid and Fixtures/valid states what validating
/// it must report in `# expect: LINE:COLUMN: SEVERITY: MESSAGE` comment lines (a whole-file
/// finding is written `# expect: FILE: SEVERITY: MESSAGE`). Pipelines are checked against
/// Fixtures/accounts.yaml; accounts files on their own.
enum Corpus {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let accounts = root.appendingPathComponent("accounts.yaml").path

    static func files(_ folder: String) -> [String] {
        let directory = root.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".json") }.sorted()
    }

    static func expectations(_ path: String) -> [String] {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { $0.hasPrefix("# expect: ") }
            .map { String($0.dropFirst("# expect: ".count)) }
    }

    /// What the validator reports for one fixture, in the `# expect:` form, with paths inside the
    /// fixture folder written relative to it so the corpus passes in any checkout.
    static func findings(_ path: String) -> (valid: Bool, lines: [String]) {
        var validator = Validator(explicitAccounts: accounts, environment: [:])
        let report = validator.validate(paths: [path])
        let lines = report.files.flatMap { file in
            file.diagnostics.map { d in
                let place = d.line > 0 ? "\(d.line):\(d.column)" : "FILE"
                let message = d.message.replacingOccurrences(of: root.path + "/", with: "")
                return "\(place): \(d.severity.rawValue): \(message)"
            }
        }
        return (report.valid, lines)
    }
}

@Suite("fixture corpus")
struct FixtureCorpusTests {
    @Test("the corpus holds at least 40 invalid files")
    func corpusSize() {
        #expect(Corpus.files("invalid").count >= 40)
    }

    @Test("an invalid file reports exactly its expected problems at their positions", arguments: Corpus.files("invalid"))
    func invalid(_ name: String) {
        let path = Corpus.root.appendingPathComponent("invalid/\(name)").path
        let expected = Corpus.expectations(path)
        let (valid, lines) = Corpus.findings(path)
        #expect(!expected.isEmpty, "\(name) states no expectation")
        #expect(!valid)
        #expect(lines == expected)
    }

    @Test("a valid file passes with exactly its expected warnings", arguments: Corpus.files("valid"))
    func valid(_ name: String) {
        let path = Corpus.root.appendingPathComponent("valid/\(name)").path
        let (valid, lines) = Corpus.findings(path)
        #expect(valid)
        #expect(lines == Corpus.expectations(path))
    }
}
