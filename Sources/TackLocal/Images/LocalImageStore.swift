import Foundation
import TackCore

#if canImport(Glibc)
import Glibc
#endif

/// The local image store: content-addressed image directories and the tags that name them.
///
///     <root>/blobs/sha256/<hex>/manifest.json   canonical manifest JSON (see `ImageDigest`)
///     <root>/blobs/sha256/<hex>/rootfs/         the image's files; <hex> is the image digest
///     <root>/tags/<name>/<tag>                  "sha256:<hex>\n"; a `/` in a name is stored as `+`
///     <root>/refs/<name>/<hex>                  empty: <name> imported <hex> (kept after a retag,
///                                               so `name@sha256:…` still resolves while it runs)
///     <root>/files/<hex>-<mode>                 hard links that let images share equal files
///     <root>/tmp/                               imports in progress, images being removed
///     <root>/.lock                              flock held while tags, refs and blobs change
///
/// An image directory is built in `tmp/` and renamed into `blobs/` whole, and tag files are
/// replaced by rename, so readers never see a half-written image or tag and two processes
/// importing at once cannot corrupt the store. Methods block on file I/O.
public struct LocalImageStore: Sendable {
    /// The store's directory, such as `$TACK_HOME/images`.
    public let root: String

    /// A store rooted at `root`; nothing is created until the first import.
    public init(root: String) {
        self.root = root
    }

    /// The image `reference` names: `name` (meaning `name:latest`), `name:tag`, `name@sha256:…`, or
    /// `name:tag@sha256:…` (then the tag must point at that digest).
    public func resolve(_ reference: ImageRef) throws(LocalRuntimeError) -> LocalImage {
        let name = reference.name
        if let tag = reference.tag ?? (reference.digest == nil ? "latest" : nil) {
            guard let tagged = try digest(name: name, tag: tag) else { throw try notFound(reference) }
            if let digest = reference.digest, digest != tagged {
                throw .imageDigestMismatch(reference: reference.description, tagDigest: tagged)
            }
            return try image(name: name, tag: tag, digest: tagged)
        }
        let digest = reference.digest ?? ""
        let hex = String(digest.dropFirst("sha256:".count))
        guard (try ImageFiles.status(refPath(name: name, hex: hex))) != nil, ImageFiles.isDirectory(blobPath(hex)) else {
            throw try notFound(reference)
        }
        return try image(name: name, tag: nil, digest: digest)
    }

    /// Every image for `tack image ls`: one per tag, and one without a tag for content a name
    /// imported that no tag of it points at any more; sorted by name, then tag.
    public func list() throws(LocalRuntimeError) -> [LocalImage] {
        var cache: [String: LocalImage] = [:]
        func load(_ name: String, _ tag: String?, _ digest: String) throws(LocalRuntimeError) -> LocalImage {
            if var known = cache[digest] {
                known.name = name
                known.tag = tag
                return known
            }
            let image = try image(name: name, tag: tag, digest: digest)
            cache[digest] = image
            return image
        }
        var images: [LocalImage] = []
        for name in try names() {
            var tagged: Set<String> = []
            for tag in try tags(name: name) {
                guard let digest = try digest(name: name, tag: tag) else { continue }
                tagged.insert(digest)
                images.append(try load(name, tag, digest))
            }
            for hex in try Self.visibleNames(in: refsPath(name: name)) where !tagged.contains("sha256:" + hex) {
                if ImageFiles.isDirectory(blobPath(hex)) { images.append(try load(name, nil, "sha256:" + hex)) }
            }
        }
        return images.sorted { a, b in
            a.name != b.name ? a.name < b.name : (a.tag ?? "\u{10FFFF}", a.digest) < (b.tag ?? "\u{10FFFF}", b.digest)
        }
    }

    /// Recomputes the digest of `image`'s manifest and files and throws `.invalidImage` when it
    /// differs from the digest it was stored under (a file, a mode or the manifest was changed).
    public func verify(_ image: LocalImage) throws(LocalRuntimeError) {
        let manifestPath = image.directory + "/manifest.json"
        let json = try POSIXRead.bytes(atPath: manifestPath)
        _ = try LocalImageManifest.decode(json, path: manifestPath, allowRoot: true)
        let actual = "sha256:" + (try ImageDigest.compute(manifestJSON: json, rootfs: image.rootfs))
        guard actual == image.digest else {
            throw .invalidImage(
                path: image.directory,
                reason: "its content changed after import: it now hashes to \(actual), not \(image.digest)")
        }
    }
}

// MARK: - Layout

extension LocalImageStore {
    var lockPath: String { root + "/.lock" }
    var blobsPath: String { root + "/blobs/sha256" }
    var temporaryPath: String { root + "/tmp" }
    var filesPath: String { root + "/files" }

    func blobPath(_ hex: String) -> String { blobsPath + "/" + hex }
    func tagsPath(name: String) -> String { root + "/tags/" + Self.fileName(name) }
    func tagPath(name: String, tag: String) -> String { tagsPath(name: name) + "/" + tag }
    func refsPath(name: String) -> String { root + "/refs/" + Self.fileName(name) }
    func refPath(name: String, hex: String) -> String { refsPath(name: name) + "/" + hex }

    /// A name as one file name: `/` becomes `+`, which no image name contains.
    static func fileName(_ name: String) -> String { name.replacingOccurrences(of: "/", with: "+") }

    /// The names that have tags or refs, sorted.
    func names() throws(LocalRuntimeError) -> [String] {
        let files = Set(try Self.visibleNames(in: root + "/tags") + Self.visibleNames(in: root + "/refs"))
        return files.map { $0.replacingOccurrences(of: "+", with: "/") }.sorted()
    }

    /// The tags of `name`, sorted.
    func tags(name: String) throws(LocalRuntimeError) -> [String] {
        try Self.visibleNames(in: tagsPath(name: name)).sorted()
    }

    /// The digest the tag file of `name:tag` holds, or nil when there is no such tag.
    func digest(name: String, tag: String) throws(LocalRuntimeError) -> String? {
        let path = tagPath(name: name, tag: tag)
        guard (try ImageFiles.status(path)) != nil else { return nil }
        let text = try POSIXRead.string(atPath: path).trimmingCharacters(in: .whitespacesAndNewlines)
        guard Self.isDigest(text) else {
            throw .corruptState(path: path, reason: "a tag file must hold sha256: and 64 hex digits")
        }
        return text
    }

    /// The names in `directory` that do not start with `.` (temporary files do), or none when it is missing.
    static func visibleNames(in directory: String) throws(LocalRuntimeError) -> [String] {
        guard ImageFiles.isDirectory(directory) else { return [] }
        return try ImageFiles.names(in: directory).filter { !$0.hasPrefix(".") }
    }

    static func isDigest(_ text: String) -> Bool {
        guard text.hasPrefix("sha256:") else { return false }
        let hex = text.utf8.dropFirst(7)
        return hex.count == 64 && hex.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// The image stored under `digest`, named `name` and `tag`.
    func image(name: String, tag: String?, digest: String) throws(LocalRuntimeError) -> LocalImage {
        let directory = blobPath(String(digest.dropFirst("sha256:".count)))
        let manifestPath = directory + "/manifest.json"
        guard let info = try ImageFiles.status(manifestPath) else {
            throw .corruptState(path: directory, reason: "\(name)\(tag.map { ":" + $0 } ?? "") points at \(digest), which is not in the store")
        }
        let manifest = try LocalImageManifest.load(path: manifestPath, allowRoot: true)
        let size = try ImageFiles.walk(directory + "/rootfs").reduce(Int64(0)) { $0 + ($1.kind == .file ? $1.size : 0) }
        let created = Date(
            timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec) + TimeInterval(info.st_mtim.tv_nsec) / 1e9)
        return LocalImage(
            name: name, tag: tag, digest: digest, manifest: manifest, directory: directory, sizeInBytes: size,
            created: created)
    }

    /// The error for a reference that names nothing, listing what there is.
    func notFound(_ reference: ImageRef) throws(LocalRuntimeError) -> LocalRuntimeError {
        let available = try list().compactMap { image in image.tag.map { "\(image.name):\($0)" } }
        return .imageNotFound(reference: reference.description, available: available)
    }
}
