import Testing
@testable import TackCore

/// A tag and the version label it must give.
struct VersionCase: Sendable, CustomStringConvertible {
    var tag: String
    var version: String
    var description: String { tag.count > 40 ? String(tag.prefix(40)) + "…" : tag }
}

/// The hashes are the first 8 hex digits of `printf %s TAG | sha256sum`.
private let versionCases: [VersionCase] = [
    VersionCase(tag: "v1.2", version: "v1.2"),
    VersionCase(tag: "TAG_1.0-rc", version: "TAG_1.0-rc"),
    VersionCase(tag: String(repeating: "v", count: 63), version: String(repeating: "v", count: 63)),
    VersionCase(tag: "_v1.2", version: "v1.2-2b730a1e"),
    VersionCase(tag: "v1.2.", version: "v1.2-88acdd8d"),
    VersionCase(tag: "v1.2-", version: "v1.2-e1991fd8"),
    VersionCase(tag: "v1.2_", version: "v1.2-c5188398"),
    VersionCase(tag: String(repeating: "_", count: 128), version: "b1b27734"),
    // Leading characters are dropped before the cut, so the readable part keeps 54 characters.
    VersionCase(tag: "_" + String(repeating: "nightly.", count: 15) + "1234567",
                version: String(String(repeating: "nightly.", count: 7).prefix(54)) + "-18396548"),
    VersionCase(tag: String(repeating: "t", count: 128), version: String(repeating: "t", count: 54) + "-9fc73bfd"),
    // The cut falls right after a `.`, which is trimmed too.
    VersionCase(tag: String(repeating: "a", count: 53) + "." + String(repeating: "b", count: 74),
                version: String(repeating: "a", count: 53) + "-2399f7e2"),
]

@Suite("ImageRef version label")
struct ImageRefVersionTests {
    /// Kubernetes' own rule for a label value.
    static func isKubernetesLabelValue(_ value: String) -> Bool {
        let pattern = try! Regex("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?")
        return value.utf8.count <= 63 && value.wholeMatch(of: pattern) != nil
    }

    @Test("a tag becomes a valid label value: kept when valid, else a readable prefix and a hash", arguments: versionCases)
    func tagVersion(_ c: VersionCase) throws {
        let ref = try ImageRef(parsing: "ghcr.io/tack-dev/lora-train:" + c.tag)
        #expect(ref.version == c.version)
        #expect(Self.isKubernetesLabelValue(ref.version), "\(ref.version)")
    }

    @Test("two long tags that share their first 60 characters get different version labels")
    func longTagsDoNotCollide() throws {
        let shared = "release-2024.06.01-" + String(repeating: "a", count: 41)
        let first = try ImageRef(parsing: "app:" + shared + String(repeating: "x", count: 68))
        let second = try ImageRef(parsing: "app:" + shared + String(repeating: "y", count: 68))
        #expect(first.version == "release-2024.06.01-" + String(repeating: "a", count: 35) + "-7d6f6799")
        #expect(second.version == "release-2024.06.01-" + String(repeating: "a", count: 35) + "-cdbb6c6b")
        #expect(first.version.count == 63 && second.version.count == 63)
    }

    @Test("a reference with only a digest is labelled sha256- and 12 hex digits, and with neither latest")
    func digestOnly() throws {
        let digest = "sha256:" + String(repeating: "0f", count: 32)
        let ref = try ImageRef(parsing: "ghcr.io/tack-dev/lora-train@" + digest)
        #expect(ref.version == "sha256-0f0f0f0f0f0f")
        #expect(Self.isKubernetesLabelValue(ref.version))
        #expect(try ImageRef(parsing: "lora-train").version == "latest")
        #expect(try ImageRef(parsing: "lora-train:v1@" + digest).version == "v1")
    }

    @Test("every tag Docker accepts gives a valid label value", arguments: ["_", "_.", "a-", "9.", "__x__", "x" + String(repeating: "-", count: 127)])
    func everyTagIsValid(_ tag: String) throws {
        #expect(Self.isKubernetesLabelValue(try ImageRef(parsing: "app:" + tag).version))
    }
}
