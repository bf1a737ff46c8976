import Testing
import TackYAML

@Suite("typed YAML reader")
struct YAMLReaderTests {
    /// Parses `text` and returns the value under its first key, with a fresh reader.
    private func value(_ text: String) throws -> (YAMLNode, YAMLReader) {
        let root = try #require(try YAMLParser.parse(text).root?.mapping?.first?.value)
        return (root, YAMLReader(log: DiagnosticLog()))
    }

    private func messages(_ reader: YAMLReader) -> [String] {
        reader.log.diagnostics.map { "\($0.mark): \($0.message)" }
    }

    @Test("an integer in quotes is a string, and the message says so")
    func quotedInteger() throws {
        let (node, reader) = try value("targetSize: '3'\n")
        #expect(reader.integer(node, what: "targetSize", in: 1...Int.max) == nil)
        #expect(messages(reader) == ["1:13: targetSize must be an integer >= 1; got the string \"3\""])
    }

    @Test("an integer outside its range names the range")
    func range() throws {
        let (node, reader) = try value("setWeight: 101\n")
        #expect(reader.integer(node, what: "setWeight", in: 1...100) == nil)
        #expect(messages(reader) == ["1:12: setWeight must be an integer from 1 to 100; got 101"])
    }

    @Test("YAML 1.1 yes is not a boolean")
    func yesIsNotBoolean() throws {
        let (node, reader) = try value("autoPromote: yes\n")
        #expect(reader.boolean(node, what: "autoPromote") == nil)
        #expect(messages(reader) == ["1:14: autoPromote must be true or false; got \"yes\""])
        let (good, quiet) = try value("autoPromote: false\n")
        #expect(quiet.boolean(good, what: "autoPromote") == false)
    }

    @Test("unknown keys are reported at the key, with a suggestion when one is close")
    func unknownKeys() throws {
        let (node, reader) = try value("cluster: {acount: a, colour: red}\n")
        let map = reader.mapping(node, what: "a cluster", keys: ["account", "container"])
        #expect(map != nil)
        #expect(messages(reader) == [
            "1:11: unknown key \"acount\" in a cluster; did you mean \"account\"?",
            "1:22: unknown key \"colour\" in a cluster; allowed keys: account, container",
        ])
    }

    @Test("a refused key gets its own message instead of the unknown-key one")
    func refusedKey() throws {
        let (node, reader) = try value("m: {token: s3cr3t}\n")
        _ = reader.mapping(node, what: "m", keys: [], refusing: ["token": "use tokenFile"])
        #expect(messages(reader) == ["1:5: use tokenFile"])
    }

    @Test("a missing required key is reported at its mapping")
    func missingKey() throws {
        let (node, reader) = try value("c:\n  account: a\n")
        let map = try #require(reader.mapping(node, what: "a cluster", keys: ["account", "container"]))
        #expect(map.required("container") == nil)
        #expect(messages(reader) == ["2:3: missing required key \"container\" in a cluster"])
    }

    @Test("a choice suggests the closest allowed value")
    func choice() throws {
        let (node, reader) = try value("strategy: blue-green\n")
        #expect(reader.choice(node, what: "strategy", from: ["canary", "bluegreen"]) == nil)
        #expect(messages(reader) == ["1:11: strategy must be one of canary, bluegreen; got \"blue-green\" (did you mean \"bluegreen\"?)"])
    }

    @Test("a list where a string belongs is named as a list")
    func listForString() throws {
        let (node, reader) = try value("account: [a, b]\n")
        #expect(reader.string(node, what: "account") == nil)
        #expect(messages(reader) == ["1:10: account must be a string; got a list"])
    }
}

@Suite("did-you-mean suggestions")
struct SuggestionTests {
    @Test("near misses are suggested, far ones are not", arguments: [
        ("targetSzie", "targetSize"), ("strategy", "strategy"), ("STRATEGY", "strategy"),
        ("contianer", "container"), ("acount", "account"),
    ])
    func nearMiss(_ word: String, _ expected: String) {
        #expect(Suggestion.closest(to: word, in: ["targetSize", "strategy", "container", "account"]) == expected)
    }

    @Test("an unrelated word gets no suggestion")
    func farMiss() {
        #expect(Suggestion.closest(to: "replicas", in: ["targetSize", "strategy", "container", "account"]) == nil)
    }
}

@Suite("diagnostics")
struct DiagnosticTests {
    @Test("a huge value echoed in a message is elided in the middle, keeping both ends")
    func longMessage() {
        let value = String(repeating: "a", count: 100_000)
        let diagnostic = Diagnostic(.error, "account \"\(value)\" is not in the accounts file tack.yaml", at: .start)
        #expect(diagnostic.message.count == 360 + 3 + 100)
        #expect(diagnostic.message.hasPrefix("account \"aaaa"))
        #expect(diagnostic.message.hasSuffix("aaa\" is not in the accounts file tack.yaml"))
        #expect(diagnostic.message.contains(" … "))
    }

    @Test("the log stops at its error limit with one last error that says so")
    func errorLimit() {
        let log = DiagnosticLog(maxErrors: 3)
        for line in 1...10 { log.error("problem \(line)", at: Mark(line: line, column: 1)) }
        #expect(log.diagnostics.map(\.message) == ["problem 1", "problem 2", "problem 3", "too many errors; stopped after 3"])
        #expect(log.isFull)
    }
}

@Suite("message text")
struct MessageTextTests {
    @Test("short values are quoted whole, long ones shortened in the middle with their length")
    func quoted() {
        #expect("canary".quoted == "\"canary\"")
        let long = String(repeating: "x", count: 50) + String(repeating: "y", count: 50)
        #expect(long.quoted == "\"\(String(repeating: "x", count: 40))…\(String(repeating: "y", count: 16))\" (100 characters)")
    }

    @Test("paths are quoted whole up to the limit the caller gives")
    func quotedPath() {
        let path = "/check/work/main/Tests/KubeAPITests/Fixtures/kubeconfig/exec-plugin.sh"
        #expect(path.quoted(upTo: 1024) == "\"\(path)\"")
        #expect(path.quoted(upTo: 40).hasSuffix("…g/exec-plugin.sh\" (70 characters)"))
    }

    @Test("lists of names stop after a few and say how many more there are")
    func listed() {
        #expect(["a", "b"].listed() == "a, b")
        #expect((1...10).map(String.init).listed(limit: 3) == "1, 2, 3 and 7 more")
    }
}
