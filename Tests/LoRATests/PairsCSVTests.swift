import Testing
@testable import LoRA

@Suite("Pairs CSV")
struct PairsCSVTests {
    static func parse(_ text: String) throws(LoRAError) -> [SentencePair] {
        try PairsCSV.parse(Array(text.utf8), path: "pairs.csv")
    }

    static func error(_ bytes: [UInt8]) -> LoRAError? {
        do {
            _ = try PairsCSV.parse(bytes, path: "pairs.csv")
            return nil
        } catch {
            return error
        }
    }

    static func error(_ text: String) -> LoRAError? { error(Array(text.utf8)) }

    @Test("quoted fields keep commas, doubled quotes and line breaks")
    func quotedFields() throws {
        let pairs = try Self.parse("anchor,positive\n\"a, b\",\"say \"\"hi\"\"\"\n\"two\nlines\",plain\n")
        #expect(pairs == [
            SentencePair(anchor: "a, b", positive: "say \"hi\""),
            SentencePair(anchor: "two\nlines", positive: "plain"),
        ])
    }

    @Test("CRLF line ends, a UTF-8 BOM and a blank last line are accepted")
    func crlfAndBOM() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("anchor,positive\r\nq1,p1\r\nq2,\"p\r\n2\"\r\n\r\n".utf8)
        let pairs = try PairsCSV.parse(bytes, path: "pairs.csv")
        #expect(pairs == [SentencePair(anchor: "q1", positive: "p1"), SentencePair(anchor: "q2", positive: "p\r\n2")])
    }

    @Test("columns are found by name in any order and other columns are ignored")
    func columnsByName() throws {
        let pairs = try Self.parse("id,positive,score,anchor\n1,passage,0.5,query\n2,\"é ü\",1,ß")
        #expect(pairs == [SentencePair(anchor: "query", positive: "passage"), SentencePair(anchor: "ß", positive: "é ü")])
    }

    @Test("a header without anchor or positive names the columns it has")
    func missingColumns() {
        #expect(Self.error("query,positive\nq,p\n")?.description
                == "pairs.csv:1: the header has no \"anchor\" column; its columns are: query, positive")
        #expect(Self.error("text,label\n")?.description
                == "pairs.csv:1: the header has no \"anchor\" or \"positive\" column; its columns are: text, label")
    }

    @Test("an unterminated quote is reported at the line its record starts")
    func unterminatedQuote() {
        #expect(Self.error("anchor,positive\nq1,p1\nq2,\"never\nclosed\n")
                == .invalidData(path: "pairs.csv", line: 3, reason: "a quoted field is never closed; the file ends inside it"))
    }

    @Test("a record with the wrong number of fields is reported with its line, counting lines inside quotes")
    func wrongFieldCount() {
        #expect(Self.error("anchor,positive\n\"a\nb\",p\nq,p,extra\n")
                == .invalidData(path: "pairs.csv", line: 4, reason: "the record has 3 fields; the header has 2"))
        #expect(Self.error("anchor,positive\nq,p\n\nq,p\n")
                == .invalidData(path: "pairs.csv", line: 3, reason: "the line is blank; every record needs 2 fields"))
    }

    @Test("invalid UTF-8 is reported at its record's line")
    func invalidUTF8() {
        let bytes = Array("anchor,positive\nq,p\nq,".utf8) + [0xC3, 0x28] + Array("\n".utf8)
        #expect(Self.error(bytes) == .invalidData(path: "pairs.csv", line: 3, reason: "field 2 is not valid UTF-8 text"))
    }

    @Test("an empty anchor or positive is an error")
    func emptyField() {
        #expect(Self.error("anchor,positive\nq,p\n,p\n") == .invalidData(path: "pairs.csv", line: 3, reason: "the anchor is empty"))
        #expect(Self.error("anchor,positive\nq,\"  \"\n") == .invalidData(path: "pairs.csv", line: 2, reason: "the positive is empty"))
    }

    @Test("text after a closing quote and an empty file are errors")
    func otherErrors() {
        #expect(Self.error("anchor,positive\n\"q\"x,p\n")?.description
                == "pairs.csv:2: text follows the closing quote of field 1; write a quote inside a quoted field as \"\"")
        #expect(Self.error("")?.description
                == "pairs.csv: the file is empty; expected a header row with anchor and positive columns")
    }

    @Test("a header with no records gives no pairs")
    func headerOnly() throws {
        #expect(try Self.parse("anchor,positive\n").isEmpty)
    }

    @Test("eval_split holds out ⌈n × share⌉ pairs spread evenly, the same on every run")
    func evalSplit() {
        #expect(EvalSplit.evalCount(pairCount: 10, share: 0.7) == 7)
        #expect(EvalSplit.evalCount(pairCount: 10, share: 0.1) == 1)
        #expect(EvalSplit.evalCount(pairCount: 3, share: 0.5) == 2)
        #expect(EvalSplit.evalCount(pairCount: 5, share: 0.01) == 1)
        #expect(EvalSplit.evalCount(pairCount: 5, share: 0) == 0)
        let split = EvalSplit.split(Array(0..<10), share: 0.2)
        #expect(split.eval == [4, 9])
        #expect(split.train == [0, 1, 2, 3, 5, 6, 7, 8])
        #expect(EvalSplit.split(Array(0..<7), share: 0).eval.isEmpty)
        #expect(EvalSplit.split([Int](), share: 0.5).eval.isEmpty)
    }
}
