import Foundation
import Testing

@testable import tack

/// `-o yaml` of the controller commands (`get`, `history`, `apply`, which `watch` shares its
/// client with): strings YAML would read as something else are quoted, keys sorted.
@Suite("tack -o yaml")
struct WatchYAMLOutputTests {
    private struct Sample: Encodable {
        struct Item: Encodable {
            var name: String
            var weight: Int
        }

        var answer = "yes"
        var version = "1.0"
        var colon = ":"
        var plain = "setWeight 30%"
        var notes = "first line\nsecond line\n"
        var items = [Item(name: "aws", weight: 30), Item(name: "gcp", weight: 0)]
        var empty: [Int] = []
        var none: [String: Int] = [:]
        var matrix = [[1, 2], [3]]
        var ratio = 0.05
        var flag = true
    }

    @Test("a value becomes block YAML with sorted keys, literal blocks and quoted look-alikes")
    func document() throws {
        #expect(try YAMLOutput.text(Sample()) == """
            answer: "yes"
            colon: ":"
            empty: []
            flag: true
            items:
              - name: aws
                weight: 30
              - name: gcp
                weight: 0
            matrix:
              - - 1
                - 2
              - - 3
            none: {}
            notes: |
              first line
              second line
            plain: setWeight 30%
            ratio: 0.05
            version: "1.0"

            """)
    }

    @Test("strings a YAML reader would take for a boolean, null, number, date or syntax are quoted", arguments: [
        ("yes", "\"yes\""), ("No", "\"No\""), ("on", "\"on\""), ("null", "\"null\""), ("~", "\"~\""), ("", "\"\""),
        ("1.0", "\"1.0\""), ("42", "\"42\""), ("-7", "\"-7\""), ("0x1F", "\"0x1F\""), ("1_000", "\"1_000\""), ("12:30", "\"12:30\""),
        (".inf", "\".inf\""), ("2025-11-22", "\"2025-11-22\""), ("2025-11-22T16:40:00.000Z", "\"2025-11-22T16:40:00.000Z\""),
        (":", "\":\""), ("a: b", "\"a: b\""), ("key:", "\"key:\""), ("x #y", "\"x #y\""), ("#x", "\"#x\""), ("- x", "\"- x\""),
        ("*ref", "\"*ref\""), ("{a}", "\"{a}\""), (" lead", "\" lead\""), ("trail ", "\"trail \""), ("tab\there", "\"tab\\there\""),
        ("say \"hi\"", "say \"hi\""), ("back\\slash", "back\\slash"), ("\"quoted\"", "\"\\\"quoted\\\"\""),
        ("errorRate > 5%", "errorRate > 5%"), ("latency.p99", "latency.p99"), ("3 replicas", "3 replicas"), ("a:b", "a:b"),
        ("ghcr.io/acme/svc:1.5.0", "ghcr.io/acme/svc:1.5.0"), ("step 4/8: setWeight 30%", "\"step 4/8: setWeight 30%\""),
    ])
    func quoting(text: String, expected: String) {
        #expect(YAMLScalar.inline(text) == expected)
    }

    @Test("multi-line strings are literal blocks with the chomping their trailing newlines need")
    func multiLine() {
        #expect(YAMLOutput.lines(.string("a\nb")) == ["|-", "  a", "  b"])
        #expect(YAMLOutput.lines(.string("a\n\nb\n")) == ["|", "  a", "", "  b"])
        #expect(YAMLOutput.lines(.string("a\n\n")) == ["|+", "  a", ""])
        #expect(YAMLOutput.lines(.object(["k": .string("x\ny")])) == ["k: |-", "  x", "  y"])
        #expect(YAMLOutput.lines(.array([.string("x\ny")])) == ["- |-", "  x", "  y"])
    }

    @Test("multi-line strings a literal block cannot hold are double-quoted with escapes")
    func multiLineQuoted() {
        #expect(YAMLOutput.lines(.string(" indented\nnext")) == ["\" indented\\nnext\""])
        #expect(YAMLOutput.lines(.string("a\n  \nb")) == ["\"a\\n  \\nb\""])
        #expect(YAMLOutput.lines(.string("bell\u{07}\nx")) == ["\"bell\\u0007\\nx\""])
        #expect(YAMLOutput.lines(.string("\n")) == ["\"\\n\""])
    }

    @Test("scalars at the top level and null stay plain")
    func scalars() {
        #expect(YAMLOutput.lines(.null) == ["null"])
        #expect(YAMLOutput.lines(.integer(7)) == ["7"])
        #expect(YAMLOutput.lines(.array([])) == ["[]"])
        #expect(YAMLOutput.lines(.object(["a": .null, "b": .bool(false)])) == ["a: null", "b: false"])
    }

    @Test("an execution's YAML carries the API's dates, quoted")
    func executionView() throws {
        let yaml = try YAMLOutput.text(try WatchFixtures.recording("rolled-back").execution)
        #expect(yaml.hasPrefix("accounts:\n  - account: aws-eu-central-1\n"))
        #expect(yaml.contains("\ncreatedAt: \"2025-11-22T17:00:00.000Z\"\n"))
        #expect(yaml.contains("\n        points:\n          - time: \"2026-11-20T10:00:00.000Z\"\n            value: 0\n"
                              + "          - time: \"2026-11-20T10:00:02.000Z\"\n            value: 0.01\n"))
    }
}
