import Foundation
import TackCore
import Testing

@testable import TackLocal

/// A unique scratch directory, removed (read-only directories included) by `remove()`.
private struct Scratch {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("tack-images-\(UUID().uuidString)").path

    init() throws { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }

    func remove() { try? ImageFiles.removeTree(path) }

    var store: LocalImageStore { LocalImageStore(root: path + "/store") }

    /// Writes `text` to `relative` below the scratch directory with `mode`, creating parents.
    @discardableResult
    func write(_ relative: String, _ text: String, mode: mode_t = 0o644) throws -> String {
        let file = path + "/" + relative
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        chmod(file, mode)
        return file
    }

    /// A small rootfs at `relative`: a program, a config file, a nested directory and a symlink.
    func rootfs(_ relative: String, config: String = "answer = 42\n") throws -> String {
        try write("\(relative)/usr/local/bin/app", "#!/bin/sh\necho hello\n", mode: 0o755)
        try write("\(relative)/etc/app/config", config)
        try write("\(relative)/opt/app/data/empty", "")
        try write("\(relative)/opt/app/data/naïve name.txt", "ünïcode\n")
        symlink("/usr/local/bin/app", path + "/\(relative)/usr/local/bin/app-link")
        return path + "/" + relative
    }
}

private let manifest = LocalImageManifest(
    name: "app", entrypoint: ["/usr/local/bin/app"], args: ["--port", "8080"], env: ["PORT": "8080"],
    user: "65532:65532", writable: ["/var/lib/app"], readiness: "/readyz", packages: ["libcurl4"])

private func reference(_ text: String) throws -> ImageRef { try ImageRef(parsing: text) }

/// The repository's root, from this file's path.
private let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

@Suite("LocalImageStore")
struct LocalImageStoreTests {
    @Test("equal content gets an equal digest, from any source directory, and is stored once")
    func digestIsStable() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let first = try scratch.store.importImage(rootfs: scratch.rootfs("a"), manifest: manifest, name: "app", tag: "v1")
        let again = try scratch.store.importImage(rootfs: scratch.rootfs("b"), manifest: manifest, name: "app", tag: "v2")
        let elsewhere = try scratch.store.importImage(rootfs: scratch.path + "/a", manifest: manifest, name: "other", tag: "v1")
        #expect(first.digest == again.digest && again.digest == elsewhere.digest)
        #expect(ImageRef.isDigest(first.digest))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path + "/store/blobs/sha256").count == 1)
        #expect(try LocalImageStore.visibleNames(in: scratch.path + "/store/tmp").isEmpty)
    }

    @Test("one changed byte, manifest field or mode bit changes the digest")
    func digestCoversContentManifestAndModes() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let store = scratch.store
        let base = try store.importImage(rootfs: scratch.rootfs("base"), manifest: manifest, name: "app", tag: "base")
        let byte = try store.importImage(rootfs: scratch.rootfs("byte", config: "answer = 43\n"), manifest: manifest, name: "app", tag: "byte")
        var changed = manifest
        changed.env["PORT"] = "8081"
        let field = try store.importImage(rootfs: scratch.path + "/base", manifest: changed, name: "app", tag: "field")
        let moded = try scratch.rootfs("mode")
        chmod(moded + "/etc/app/config", 0o640)
        let mode = try store.importImage(rootfs: moded, manifest: manifest, name: "app", tag: "mode")
        let linked = try scratch.rootfs("link")
        unlink(linked + "/usr/local/bin/app-link")
        symlink("app", linked + "/usr/local/bin/app-link")
        let link = try store.importImage(rootfs: linked, manifest: manifest, name: "app", tag: "link")
        #expect(Set([base.digest, byte.digest, field.digest, mode.digest, link.digest]).count == 5)
    }

    @Test("the digest is the one Fixtures/images/digest.sh computes with find and sha256sum")
    func digestMatchesReferenceScript() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let source = try scratch.rootfs("src")
        try scratch.write("src/usr/local/bin/setgid-tool", "x", mode: 0o2755)
        try FileManager.default.createDirectory(atPath: source + "/srv/locked", withIntermediateDirectories: true)
        chmod(source + "/srv/locked", 0o555)
        let image = try scratch.store.importImage(rootfs: source, manifest: manifest, name: "app", tag: "v1")
        let script = repository + "/Tests/TackLocalTests/Fixtures/images/digest.sh"
        let output = try await ChildProcess.run("/bin/bash", [script, image.directory])
        #expect(output.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == image.digest)
    }

    @Test("import creates the mount points and writable directories inside the image")
    func importAddsMountPoints() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let image = try scratch.store.importImage(rootfs: scratch.rootfs("src"), manifest: manifest, name: "app", tag: "v1")
        for directory in ["proc", "dev", "sys", "tmp", "usr", "lib", "lib64", "bin", "sbin", "etc", "var/lib/app"] {
            #expect(ImageFiles.isDirectory(image.rootfs + "/" + directory), "\(directory)")
        }
        try scratch.store.verify(image)
        #expect(image.sizeInBytes == Int64("#!/bin/sh\necho hello\n".utf8.count + "answer = 42\n".utf8.count + "ünïcode\n".utf8.count))
        #expect(image.manifest == manifest)
        #expect(abs(image.created.timeIntervalSinceNow) < 60)
    }

    @Test("a writable path through a symlink is refused, so import never writes outside the image")
    func writableThroughSymlinkIsRefused() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let source = try scratch.rootfs("src")
        try FileManager.default.createDirectory(atPath: scratch.path + "/outside", withIntermediateDirectories: true)
        symlink(scratch.path + "/outside", source + "/var")
        #expect(throws: LocalRuntimeError.self) {
            try scratch.store.importImage(rootfs: source, manifest: manifest, name: "app", tag: "v1")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path + "/outside").isEmpty)
        try FileManager.default.createDirectory(atPath: scratch.path + "/fifo-src", withIntermediateDirectories: true)
        mkfifo(scratch.path + "/fifo-src/pipe", 0o644)
        #expect(throws: LocalRuntimeError.invalidImage(
            path: scratch.path + "/fifo-src/pipe", reason: "is a device, socket or FIFO; an image holds only files, directories and symlinks")
        ) {
            try scratch.store.importImage(rootfs: scratch.path + "/fifo-src", manifest: manifest, name: "app", tag: "v1")
        }
    }

    @Test("a reference resolves by tag, by digest, by tag and digest, and a bare name means latest")
    func resolve() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let store = scratch.store
        let v1 = try store.importImage(rootfs: scratch.rootfs("a"), manifest: manifest, name: "lora-scripts", tag: "v1.2")
        let latest = try store.importImage(rootfs: scratch.rootfs("b", config: "new"), manifest: manifest, name: "lora-scripts", tag: "latest")
        #expect(try store.resolve(reference("lora-scripts:v1.2")) == v1)
        #expect(try store.resolve(reference("lora-scripts")) == latest)
        let byDigest = try store.resolve(reference("lora-scripts@\(v1.digest)"))
        #expect(byDigest.digest == v1.digest && byDigest.tag == nil && byDigest.rootfs == v1.rootfs)
        #expect(try store.resolve(reference("lora-scripts:v1.2@\(v1.digest)")) == v1)
        #expect(v1.reference.description == "lora-scripts:v1.2@\(v1.digest)")
        #expect(throws: LocalRuntimeError.imageDigestMismatch(reference: "lora-scripts:v1.2@\(latest.digest)", tagDigest: v1.digest)) {
            try store.resolve(reference("lora-scripts:v1.2@\(latest.digest)"))
        }
    }

    @Test("an unknown reference is an error that lists the images there are")
    func unknownReference() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let store = scratch.store
        #expect(throws: LocalRuntimeError.imageNotFound(reference: "lora-scripts:v1.2", available: [])) {
            try store.resolve(reference("lora-scripts:v1.2"))
        }
        let image = try store.importImage(rootfs: scratch.rootfs("a"), manifest: manifest, name: "lora-scripts", tag: "v1.2")
        try store.importImage(rootfs: scratch.rootfs("a"), manifest: manifest, name: "app", tag: "v1")
        let available = ["app:v1", "lora-scripts:v1.2"]
        #expect(throws: LocalRuntimeError.imageNotFound(reference: "lora-scripts:v9", available: available)) {
            try store.resolve(reference("lora-scripts:v9"))
        }
        #expect(throws: LocalRuntimeError.imageNotFound(reference: "nginx", available: available)) {
            try store.resolve(reference("nginx"))
        }
        // The content is in the store, but not under this name.
        #expect(throws: LocalRuntimeError.imageNotFound(reference: "nginx@\(image.digest)", available: available)) {
            try store.resolve(reference("nginx@\(image.digest)"))
        }
        let error = LocalRuntimeError.imageNotFound(reference: "nginx", available: available)
        #expect(error.description == "image nginx is not in the local image store (available: app:v1, lora-scripts:v1.2)")
    }

    @Test("importing new content under a tag moves the tag; the old content stays reachable by digest")
    func retag() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let store = scratch.store
        let old = try store.importImage(rootfs: scratch.rootfs("a"), manifest: manifest, name: "app", tag: "v1")
        let new = try store.importImage(rootfs: scratch.rootfs("b", config: "changed"), manifest: manifest, name: "app", tag: "v1")
        #expect(old.digest != new.digest)
        #expect(try store.resolve(reference("app:v1")).digest == new.digest)
        #expect(try store.resolve(reference("app@\(old.digest)")).digest == old.digest)
        let rows = try store.list().map { "\($0.displayName) \($0.digest)" }
        #expect(rows == ["app:v1 \(new.digest)", "app@\(old.digest) \(old.digest)"])
    }

    @Test("list gives one row per tag, sorted by name and tag")
    func list() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let store = scratch.store
        #expect(try store.list().isEmpty)
        let a = try scratch.rootfs("a")
        for (name, tag) in [("zeta", "v1"), ("app", "v2"), ("team/app", "v1"), ("app", "v1")] {
            try store.importImage(rootfs: a, manifest: manifest, name: name, tag: tag)
        }
        let listed = try store.list()
        #expect(listed.map(\.displayName) == ["app:v1", "app:v2", "team/app:v1", "zeta:v1"])
        #expect(Set(listed.map(\.digest)).count == 1)
        #expect(try store.resolve(reference("team/app:v1")).name == "team/app")
    }

    @Test("removing a tag keeps content other tags use, and removing the last one deletes it")
    func remove() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let store = scratch.store
        let source = try scratch.rootfs("a")
        let v1 = try store.importImage(rootfs: source, manifest: manifest, name: "app", tag: "v1")
        try store.importImage(rootfs: source, manifest: manifest, name: "app", tag: "v2")
        let first = try store.remove(reference("app:v1"))
        #expect(first == LocalImageRemoval(untagged: ["app:v1"], deletedDigest: nil))
        #expect(ImageFiles.isDirectory(v1.directory))
        #expect(try store.list().map(\.displayName) == ["app:v2"])
        let last = try store.remove(reference("app:v2"))
        #expect(last == LocalImageRemoval(untagged: ["app:v2"], deletedDigest: v1.digest))
        #expect(!ImageFiles.isDirectory(v1.directory))
        #expect(try store.list().isEmpty)
        #expect(try LocalImageStore.visibleNames(in: store.filesPath).isEmpty)
        #expect(throws: LocalRuntimeError.self) { try store.resolve(reference("app@\(v1.digest)")) }
    }

    @Test("removing by digest drops every tag of the name on it, and the content once no name uses it")
    func removeByDigest() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let store = scratch.store
        let source = try scratch.rootfs("a")
        let image = try store.importImage(rootfs: source, manifest: manifest, name: "app", tag: "v1")
        try store.importImage(rootfs: source, manifest: manifest, name: "app", tag: "v2")
        try store.importImage(rootfs: source, manifest: manifest, name: "other", tag: "v1")
        let removal = try store.remove(reference("app@\(image.digest)"))
        #expect(removal == LocalImageRemoval(untagged: ["app:v1", "app:v2"], deletedDigest: nil))
        #expect(try store.list().map(\.displayName) == ["other:v1"])
        #expect(try store.remove(reference("other:v1")).deletedDigest == image.digest)
    }

    @Test("verify detects a changed file, a changed mode and a changed manifest")
    func verifyDetectsTampering() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let store = scratch.store
        for tamper in ["content", "mode", "manifest"] {
            let image = try store.importImage(rootfs: scratch.rootfs(tamper, config: tamper), manifest: manifest, name: "app", tag: tamper)
            try store.verify(image)
            switch tamper {
            case "content": try Data("answer = 41\n".utf8).write(to: URL(fileURLWithPath: image.rootfs + "/etc/app/config"))
            case "mode": chmod(image.rootfs + "/usr/local/bin/app", 0o4755)
            default: try Data(" ".utf8).write(to: URL(fileURLWithPath: image.directory + "/manifest.json"), options: [])
            }
            #expect(throws: LocalRuntimeError.self, "\(tamper)") { try store.verify(image) }
        }
    }

    @Test("files equal to those of another image are hard links to one copy")
    func equalFilesAreShared() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let store = scratch.store
        let one = try store.importImage(rootfs: scratch.rootfs("a"), manifest: manifest, name: "app", tag: "v1")
        let two = try store.importImage(rootfs: scratch.rootfs("b", config: "other"), manifest: manifest, name: "app", tag: "v2")
        var first = stat(), second = stat()
        lstat(one.rootfs + "/usr/local/bin/app", &first)
        lstat(two.rootfs + "/usr/local/bin/app", &second)
        #expect(first.st_ino == second.st_ino && first.st_nlink == 3)
        lstat(one.rootfs + "/etc/app/config", &first)
        lstat(two.rootfs + "/etc/app/config", &second)
        #expect(first.st_ino != second.st_ino)
        try store.verify(one)
        try store.verify(two)
    }

    @Test("a root staged by stage.sh imports under its manifest's name")
    func importStaged() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let json = try String(contentsOfFile: repository + "/manifests/images/lora-train/image.json", encoding: .utf8)
        try scratch.write("root/opt/lora-train/bin/lora-train", "#!/bin/sh\n", mode: 0o755)
        try scratch.write("root/etc/lora-train/image.json", json)
        let image = try scratch.store.importStaged(root: scratch.path + "/root", tag: "v1.2")
        #expect(image.name == "lora-train" && image.tag == "v1.2")
        #expect(image.manifest.entrypoint == ["/opt/lora-train/bin/lora-train", "serve"])
        #expect(image.manifest.userAndGroup.map { [$0.uid, $0.gid] } == [65532, 65532])
        #expect(ImageFiles.isDirectory(image.rootfs + "/var/lib/lora-train"))
        #expect(FileManager.default.fileExists(atPath: image.rootfs + "/etc/lora-train/image.json"))
        #expect(try scratch.store.resolve(reference("lora-train:v1.2")) == image)
        let renamed = try scratch.store.importStaged(root: scratch.path + "/root", tag: "v1", name: "lora-scripts")
        #expect(renamed.digest == image.digest)

        try scratch.write("bare/usr/bin/x", "")
        #expect(throws: LocalRuntimeError.invalidImage(path: scratch.path + "/bare", reason: "holds no etc/<name>/image.json manifest")) {
            try scratch.store.importStaged(root: scratch.path + "/bare", tag: "v1")
        }
    }

    @Test("concurrent imports of the same content all succeed and store it once")
    func concurrentImports() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let store = scratch.store
        var sources: [String] = []
        for index in 0..<6 { sources.append(try scratch.rootfs("src\(index)")) }
        let digests = try await withThrowingTaskGroup(of: String.self) { group in
            for (index, source) in sources.enumerated() {
                group.addTask { try store.importImage(rootfs: source, manifest: manifest, name: "app", tag: "t\(index % 3)").digest }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(digests.count == 1)
        #expect(try store.list().map(\.displayName) == ["app:t0", "app:t1", "app:t2"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path + "/store/blobs/sha256").count == 1)
        #expect(try LocalImageStore.visibleNames(in: store.temporaryPath).isEmpty)
        for image in try store.list() { try store.verify(image) }
    }

    @Test("invalid names and tags are refused before anything is copied")
    func invalidNames() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let source = try scratch.rootfs("a")
        for (name, tag) in [("App", "v1"), ("app", "-v1"), ("app", "v1@x"), ("", "v1")] {
            #expect(throws: LocalRuntimeError.self, "\(name):\(tag)") {
                try scratch.store.importImage(rootfs: source, manifest: manifest, name: name, tag: tag)
            }
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/store/tags"))
    }
}

extension ImageRef {
    fileprivate static func isDigest(_ text: String) -> Bool { LocalImageStore.isDigest(text) }
}

@Suite("LocalImageStore manifest")
struct LocalImageStoreManifestTests {
    private let path = "/images/app/image.json"

    /// The reason `.invalidImage` gives for `json`, or nil when it decodes and validates.
    private func reason(_ json: String) -> String? {
        do {
            _ = try LocalImageManifest.decode(Array(json.utf8), path: path)
            return nil
        } catch {
            guard case .invalidImage(let errorPath, let reason) = error, errorPath == path else { return "\(error)" }
            return reason
        }
    }

    @Test("the lora-train manifest in the repository decodes and validates")
    func repositoryManifest() throws {
        let loaded = try LocalImageManifest.load(path: repository + "/manifests/images/lora-train/image.json")
        #expect(loaded.name == "lora-train" && loaded.readiness == "/readyz" && loaded.writable == ["/var/lib/lora-train"])
        #expect(loaded.env["PORT"] == "8080" && loaded.entrypoint.first == "/opt/lora-train/bin/lora-train")
        #expect(try LocalImageManifest.decode(loaded.canonicalJSON, path: path) == loaded)
    }

    @Test("canonical JSON has sorted keys, no whitespace, escapes as RFC 8785, and decodes to the same manifest")
    func canonicalJSON() throws {
        var value = manifest
        value.env = ["B": "2", "A": "quote \" backslash \\ tab \t bell \u{07} é"]
        let text = String(decoding: value.canonicalJSON, as: UTF8.self)
        #expect(text == #"{"args":["--port","8080"],"entrypoint":["/usr/local/bin/app"],"env":{"A":"quote \" backslash \\ tab \t bell \u0007 é","B":"2"},"name":"app","packages":["libcurl4"],"readiness":"/readyz","user":"65532:65532","writable":["/var/lib/app"]}"#)
        #expect(try LocalImageManifest.decode(value.canonicalJSON, path: path) == value)
        var bare = value
        bare.readiness = nil
        #expect(!String(decoding: bare.canonicalJSON, as: UTF8.self).contains("readiness"))
    }

    @Test("a wrong manifest is an error naming the file and the field")
    func validationNamesTheField() {
        let good = #"{"name":"app","entrypoint":["/app"],"user":"1000:1000"}"#
        #expect(reason(good) == nil)
        let cases: [(json: String, field: String)] = [
            (#"{"name":"app","entrypoint":[],"user":"1000:1000"}"#, "entrypoint"),
            (#"{"name":"app","entrypoint":["app"],"user":"1000:1000"}"#, "entrypoint"),
            (#"{"name":"app","entrypoint":"/app","user":"1000:1000"}"#, "entrypoint"),
            (#"{"name":"app","entrypoint":["/app"]}"#, "user"),
            (#"{"name":"app","entrypoint":["/app"],"user":"nobody"}"#, "user"),
            (#"{"name":"app","entrypoint":["/app"],"user":"0:0"}"#, "user"),
            (#"{"name":"app","entrypoint":["/app"],"user":"1000:0"}"#, "user"),
            (#"{"name":"app","entrypoint":["/app"],"user":"1:2:3"}"#, "user"),
            (#"{"name":"app","entrypoint":["/app"],"user":"1000:1000","writable":["var/x"]}"#, "writable"),
            (#"{"name":"app","entrypoint":["/app"],"user":"1000:1000","writable":["/var/../etc"]}"#, "writable"),
            (#"{"name":"app","entrypoint":["/app"],"user":"1000:1000","readiness":"readyz"}"#, "readiness"),
            (#"{"name":"app","entrypoint":["/app"],"user":"1000:1000","env":{"A=B":"x"}}"#, "env"),
            (#"{"name":"app","entrypoint":["/app"],"user":"1000:1000","env":{"A":1}}"#, "env.A"),
            (#"{"name":"app","entrypoint":["/app"],"user":"1000:1000","args":["a",2]}"#, "args[1]"),
            (#"{"name":"App","entrypoint":["/app"],"user":"1000:1000"}"#, "name"),
            (#"{"name":"app","entryPoint":["/app"],"user":"1000:1000"}"#, "entryPoint"),
        ]
        for (json, field) in cases {
            let text = reason(json)
            #expect(text?.hasPrefix("field \"\(field)\"") == true, "\(json) gave \(text ?? "no error")")
        }
        #expect(reason("{") != nil)
        let error = LocalRuntimeError.invalidImage(path: path, reason: "field \"user\" is 0:0: images run as a non-root user and group")
        #expect(error.description == "/images/app/image.json: not a usable image: field \"user\" is 0:0: images run as a non-root user and group")
        #expect(throws: Never.self) {
            try LocalImageManifest.decode(Array(#"{"name":"app","entrypoint":["/app"],"user":"0:0"}"#.utf8), path: path, allowRoot: true)
        }
    }
}

@Suite("LocalImageStore SHA256")
struct LocalImageStoreSHA256Tests {
    private func hex(_ text: String) -> String { SHA256.hex(SHA256.hash(Array(text.utf8))) }

    @Test("SHA256 gives the FIPS 180-4 example digests")
    func knownVectors() {
        #expect(hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu")
            == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
        // 55 and 56 bytes: the lengths where padding needs one block or two.
        #expect(hex(String(repeating: "a", count: 55)) == "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318")
        #expect(hex(String(repeating: "a", count: 56)) == "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a")
    }

    @Test("a million 'a's hash alike in one piece and fed in uneven pieces")
    func millionAs() {
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        #expect(SHA256.hex(SHA256.hash(million)) == expected)
        var hasher = SHA256()
        var offset = 0, index = 0
        let sizes = [1, 63, 64, 65, 127, 1000, 4096]
        while offset < million.count {
            let end = min(million.count, offset + sizes[index % sizes.count])
            million[offset..<end].withUnsafeBytes { hasher.update($0) }
            offset = end
            index += 1
        }
        #expect(SHA256.hex(hasher.finalize()) == expected)
    }

    @Test("a file's hash matches sha256sum")
    func fileMatchesSHA256Sum() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<(3 << 20) + 17).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let file = scratch.path + "/random.bin"
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        let output = try await ChildProcess.run("/usr/bin/sha256sum", [file])
        #expect(try SHA256.hex(SHA256.hash(fileAtPath: file)) == String(output.stdout.prefix(64)))
    }
}
