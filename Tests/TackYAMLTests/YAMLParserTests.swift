import Testing
import TackYAML

@Suite("YAML parser")
struct YAMLParserTests {
    @Test("marks are 1-based and point at each value")
    func marks() throws {
        let document = try YAMLParser.parse("a: 1\nlist:\n  - x\n  - {k: 'v'}\n")
        let pairs = try #require(document.root?.mapping)
        #expect(pairs[0].key.mark == Mark(line: 1, column: 1))
        #expect(pairs[0].value.mark == Mark(line: 1, column: 4))
        let items = try #require(pairs[1].value.sequence)
        #expect(items[0].mark == Mark(line: 3, column: 5))
        let inner = try #require(items[1].mapping)
        #expect(inner[0].value.mark == Mark(line: 4, column: 9))
        #expect(inner[0].value.scalar == YAMLScalar("v", style: .singleQuoted))
    }

    @Test("an offset inside a one-line scalar maps to its column, quotes included")
    func offsets() throws {
        let document = try YAMLParser.parse("plain: abc def\nquoted: \"abc def\"\nescaped: \"a\\tb\"\n")
        let pairs = try #require(document.root?.mapping)
        #expect(pairs[0].value.mark(atOffset: 4) == Mark(line: 1, column: 12))
        #expect(pairs[1].value.mark(atOffset: 4) == Mark(line: 2, column: 14))
        // An escape breaks the one-to-one mapping, so the mark stays on the value.
        #expect(pairs[2].value.mark(atOffset: 2) == pairs[2].value.mark)
    }

    @Test("a duplicate key is reported at the second key with the first one's place")
    func duplicateKeys() throws {
        let document = try YAMLParser.parse("a: 1\nb: 2\na: 3\n")
        #expect(document.problems == [YAMLProblem("duplicate key \"a\" (first defined at line 1, column 1)", at: Mark(line: 3, column: 1))])
    }

    @Test("JSON is read as YAML")
    func json() throws {
        let document = try YAMLParser.parse(#"{"application": "x", "n": [1, 2.5, true, null]}"#)
        let pairs = try #require(document.root?.mapping)
        #expect(pairs.map { $0.key.scalar?.value } == ["application", "n"])
        let values = try #require(pairs[1].value.sequence).compactMap { $0.scalar }
        #expect(values.map(\.value) == ["1", "2.5", "true", "null"])
        #expect(values[3].isNull)
    }

    @Test("aliases expand to their anchor's node")
    func aliases() throws {
        let document = try YAMLParser.parse("base: &b {x: 1}\ncopy: *b\n")
        let pairs = try #require(document.root?.mapping)
        #expect(pairs[1].value.mapping?.first?.value.scalar?.value == "1")
        #expect(pairs[1].value.mark == Mark(line: 2, column: 7))
    }

    @Test("a syntax error names the problem and its place")
    func syntaxError() {
        #expect(throws: YAMLProblem(
            "invalid YAML: mapping values are not allowed in this context", at: Mark(line: 1, column: 5))) {
            try YAMLParser.parse("a: b: c\n")
        }
    }

    @Test("an unknown alias is an error at the alias")
    func unknownAlias() {
        #expect(throws: YAMLProblem("unknown alias *nope; define an anchor &nope before using it", at: Mark(line: 1, column: 4))) {
            try YAMLParser.parse("a: *nope\n")
        }
    }

    @Test("a second document is refused")
    func secondDocument() {
        #expect(throws: YAMLProblem("a file holds one YAML document; a second one starts here", at: Mark(line: 2, column: 1))) {
            try YAMLParser.parse("a: 1\n---\nb: 2\n")
        }
    }

    @Test("text that is not UTF-8 is refused with its place")
    func invalidUTF8() throws {
        let bytes: [UInt8] = Array("a: 1\nb: ".utf8) + [0xFF, 0xFE] + Array("\n".utf8)
        let problem = try #require(throws: YAMLProblem.self) { try YAMLParser.parse(bytes) }
        #expect(problem.message.hasPrefix("the file is not valid UTF-8 text"))
        #expect(problem.mark == Mark(line: 2, column: 4))
    }

    @Test("an empty file has no root")
    func empty() throws {
        #expect(try YAMLParser.parse("").root == nil)
        #expect(try YAMLParser.parse("# only a comment\n").root == nil)
    }
}

@Suite("YAML limits")
struct YAMLLimitTests {
    @Test("an alias bomb is refused by the node limit before it is expanded")
    func aliasBomb() {
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for level in 1...9 {
            let refs = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            lines.append("a\(level): &a\(level) [\(refs)]")
        }
        let text = lines.joined(separator: "\n") + "\n"
        let problem = try? #require(throws: YAMLProblem.self) { try YAMLParser.parse(text) }
        #expect(problem?.message == "the document expands to more than 1000000 nodes (aliases included); refusing to read it")
        #expect(problem?.mark.line == 6)  // a5 stands for 1,111,111 nodes
    }

    @Test("nesting deeper than the limit is refused at the level that breaks it")
    func deepNesting() {
        let text = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: YAMLProblem("nesting is deeper than 64 levels", at: Mark(line: 1, column: 65))) {
            try YAMLParser.parse(text)
        }
    }

    @Test("a file over the size limit is refused without being parsed")
    func size() {
        let limits = YAMLLimits(maxBytes: 10, maxDepth: 64, maxNodes: 100)
        #expect(throws: YAMLProblem("the file is 11 bytes; at most 10 bytes are accepted", at: .start)) {
            try YAMLParser.parse("a: 12345678", limits: limits)
        }
    }
}
