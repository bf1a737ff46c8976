import Testing
@testable import TackCore

private let hex = String(repeating: "0123456789abcdef", count: 4)

struct ValidRef: Sendable, CustomStringConvertible {
    var text: String
    var domain: String?
    var path: String
    var tag: String?
    var digest: String?
    var version: String
    var description: String { text }
}

struct InvalidRef: Sendable, CustomStringConvertible {
    var text: String
    var offset: Int
    var message: String
    var description: String { text }
}

private let validRefs: [ValidRef] = [
    ValidRef(text: "lora-scripts:v1.2", path: "lora-scripts", tag: "v1.2", version: "v1.2"),
    ValidRef(text: "lora-scripts", path: "lora-scripts", version: "latest"),
    ValidRef(text: "ghcr.io/org/lora-scripts:v1.2", domain: "ghcr.io", path: "org/lora-scripts", tag: "v1.2",
             version: "v1.2"),
    ValidRef(text: "localhost:5000/a/b@sha256:\(hex)", domain: "localhost:5000", path: "a/b",
             digest: "sha256:\(hex)", version: "sha256-0123456789ab"),
    ValidRef(text: "registry.example.com:5000/team/app:v1@sha256:\(hex)", domain: "registry.example.com:5000",
             path: "team/app", tag: "v1", digest: "sha256:\(hex)", version: "v1"),
    ValidRef(text: "[::1]:5000/app:v1", domain: "[::1]:5000", path: "app", tag: "v1", version: "v1"),
    ValidRef(text: "[fe80::1]/app", domain: "[fe80::1]", path: "app", version: "latest"),
    ValidRef(text: "a_b__c.d-e---f:TAG_1.0-rc", path: "a_b__c.d-e---f", tag: "TAG_1.0-rc", version: "TAG_1.0-rc"),
    ValidRef(text: "localhost/app", domain: "localhost", path: "app", version: "latest"),
    ValidRef(text: "team/app:_x", path: "team/app", tag: "_x", version: "x-a01e47cb"),
    ValidRef(text: "my-registry.local/a/b/c", domain: "my-registry.local", path: "a/b/c", version: "latest"),
    ValidRef(text: "lora-scripts@sha256:\(hex)", path: "lora-scripts", digest: "sha256:\(hex)",
             version: "sha256-0123456789ab"),
    ValidRef(text: "app:" + String(repeating: "t", count: 128), path: "app",
             tag: String(repeating: "t", count: 128), version: String(repeating: "t", count: 54) + "-9fc73bfd"),
    ValidRef(text: String(repeating: "a", count: 255), path: String(repeating: "a", count: 255), version: "latest"),
]

private let invalidRefs: [InvalidRef] = [
    InvalidRef(text: "", offset: 0,
               message: "the reference is empty; expected name[:tag][@sha256:digest], e.g. lora-scripts:v1.2"),
    InvalidRef(text: ":v1", offset: 0,
               message: "the repository name is missing; expected name[:tag][@sha256:digest], e.g. lora-scripts:v1.2"),
    InvalidRef(text: "lora scripts", offset: 4, message: "the reference contains whitespace"),
    InvalidRef(text: "app:v1\t", offset: 6, message: "the reference contains whitespace"),
    InvalidRef(text: "Lora-scripts:v1", offset: 0, message: "repository name \"Lora-scripts\" must be lowercase"),
    InvalidRef(text: "ghcr.io/Org/app", offset: 8, message: "repository name \"Org\" must be lowercase"),
    InvalidRef(text: "lora--:v1", offset: 0, message: "repository name component \"lora--\" may contain only "
               + "lowercase letters, digits and separators (., _, __, -) between them"),
    InvalidRef(text: "-lora", offset: 0, message: "repository name component \"-lora\" may contain only "
               + "lowercase letters, digits and separators (., _, __, -) between them"),
    InvalidRef(text: "team/a___b", offset: 5, message: "repository name component \"a___b\" may contain only "
               + "lowercase letters, digits and separators (., _, __, -) between them"),
    InvalidRef(text: "team//app", offset: 5, message: "empty repository name component"),
    InvalidRef(text: "team/app/", offset: 9, message: "empty repository name component"),
    InvalidRef(text: "app:v1!", offset: 4, message: "tag \"v1!\" may contain only letters, digits, _, . and - "
               + "(at most 128, not starting with . or -)"),
    InvalidRef(text: "app:.v1", offset: 4, message: "tag \".v1\" may contain only letters, digits, _, . and - "
               + "(at most 128, not starting with . or -)"),
    InvalidRef(text: "app:v1:v2", offset: 4, message: "tag \"v1:v2\" may contain only letters, digits, _, . and - "
               + "(at most 128, not starting with . or -)"),
    InvalidRef(text: "app:" + String(repeating: "t", count: 129), offset: 4,
               message: "tag \"\(String(repeating: "t", count: 129))\" may contain only letters, digits, _, . and - "
               + "(at most 128, not starting with . or -)"),
    InvalidRef(text: "app:", offset: 3,
               message: "the tag after \":\" is empty; write a tag such as v1.2 or remove the \":\""),
    InvalidRef(text: "app@", offset: 3, message: "the digest after \"@\" is empty; "
               + "digest must be sha256: followed by 64 lowercase hex digits"),
    InvalidRef(text: "app@sha256:abc", offset: 4,
               message: "digest must be sha256: followed by 64 lowercase hex digits"),
    InvalidRef(text: "app:v1@sha256:\(hex.uppercased())", offset: 7,
               message: "digest must be sha256: followed by 64 lowercase hex digits"),
    InvalidRef(text: "app@\(hex)", offset: 4, message: "digest must be sha256: followed by 64 lowercase hex digits"),
    InvalidRef(text: "app@md5:0123456789abcdef0123456789abcdef", offset: 4,
               message: "unsupported digest algorithm \"md5\"; only sha256 is accepted"),
    InvalidRef(text: String(repeating: "a", count: 256), offset: 0,
               message: "the name is 256 characters long; at most 255 are allowed"),
    InvalidRef(text: "-bad.io/app", offset: 0, message: "domain \"-bad.io\" must be a host name of letters, digits "
               + "and - joined by \".\", or a bracketed IPv6 address such as [::1]"),
    InvalidRef(text: "[zz]:5000/app", offset: 0, message: "domain \"[zz]\" must be a host name of letters, digits "
               + "and - joined by \".\", or a bracketed IPv6 address such as [::1]"),
    InvalidRef(text: "registry.io:50a0/app", offset: 12, message: "port \"50a0\" must be one or more digits, e.g. 5000"),
    InvalidRef(text: "lorá:v1", offset: 0, message: "repository name component \"lorá\" may contain only "
               + "lowercase letters, digits and separators (., _, __, -) between them"),
    InvalidRef(text: "é é", offset: 1, message: "the reference contains whitespace"),
]

@Suite("ImageRef")
struct ImageRefTests {
    @Test("valid references parse into their parts and round-trip through description", arguments: validRefs)
    func parsesValidReference(_ c: ValidRef) throws {
        let ref = try ImageRef(parsing: c.text)
        #expect(ref.domain == c.domain)
        #expect(ref.path == c.path)
        #expect(ref.tag == c.tag)
        #expect(ref.digest == c.digest)
        #expect(ref.version == c.version)
        #expect(ref.description == c.text)
        #expect(ref.name == (c.domain.map { "\($0)/\(c.path)" } ?? c.path))
        #expect(try ImageRef(parsing: ref.description) == ref)
    }

    @Test("invalid references report the exact message and the offset of the offending part", arguments: invalidRefs)
    func rejectsInvalidReference(_ c: InvalidRef) {
        let error = #expect(throws: ImageRefError.self) { try ImageRef(parsing: c.text) }
        #expect(error?.offset == c.offset)
        #expect(error?.message == c.message)
    }

    @Test("the error description is the message alone")
    func errorDescriptionIsMessage() {
        let error = ImageRefError(offset: 3, message: "empty repository name component")
        #expect(error.description == "empty repository name component")
    }

    @Test("a parsed reference equals the same reference built from its parts")
    func parsedEqualsMemberwise() throws {
        let built = ImageRef(domain: "ghcr.io", path: "org/app", tag: "v2", digest: nil)
        #expect(try ImageRef(parsing: "ghcr.io/org/app:v2") == built)
        #expect(built.name == "ghcr.io/org/app")
        #expect(built.description == "ghcr.io/org/app:v2")
    }

    @Test("version keeps to label-safe characters even for unvalidated parts, and tells replaced ones apart by a hash")
    func versionIsLabelSafe() {
        #expect(ImageRef(domain: nil, path: "app", tag: "a/b:c", digest: nil).version == "a_b_c-3b07f80c")
        #expect(ImageRef(domain: nil, path: "app", tag: nil, digest: "sha256:ab/cd").version == "sha256-ab_cd-379edc87")
    }
}
