import Foundation
import TackCore

#if canImport(Glibc)
import Glibc
#endif

extension LocalImageStore {
    /// The directories a container's root needs as mount points; import creates the missing ones.
    static let mountPoints = ["bin", "dev", "etc", "lib", "lib64", "proc", "sbin", "sys", "tmp", "usr"]

    /// Copies the files under `rootfs` and `manifest` into the store as `name:tag` and returns the
    /// image. Missing mount points and `writable` directories are created before the digest is
    /// computed, so they are part of the image. Equal content is stored once (a second import only
    /// moves the tag), and files equal to one another image already holds are hard-linked to it.
    @discardableResult
    public func importImage(
        rootfs source: String, manifest: LocalImageManifest, name: String, tag: String
    ) throws(LocalRuntimeError) -> LocalImage {
        try manifest.validate(path: "\(source) (manifest)")
        try Self.checkName(name, tag: tag)
        var sourceInfo = stat()
        guard stat(source, &sourceInfo) == 0, sourceInfo.st_mode & ImageFiles.typeMask == ImageFiles.directoryType else {
            throw .invalidImage(path: source, reason: "is not a directory")
        }
        for directory in [blobsPath, temporaryPath, filesPath] { try Directory.create(directory) }
        removeAbandonedImports()

        let work = temporaryPath + "/import-" + UUID().uuidString
        try ImageFiles.makeDirectory(work, mode: 0o700, existingIsFine: false)
        defer { try? ImageFiles.removeTree(work) }
        let rootfs = work + "/rootfs"
        try ImageFiles.makeDirectory(rootfs, mode: 0o700)
        var copy = ImageTreeCopy(pool: filesPath, scratch: temporaryPath)
        try copy.copy(from: source, to: rootfs)
        try Self.addMountPoints(to: rootfs, writable: manifest.writable, source: source)
        try copy.applyDirectoryModes()
        try ImageFiles.changeMode(rootfs, 0o755)
        let json = manifest.canonicalJSON
        try AtomicFile.write(json, to: work + "/manifest.json")
        let hex = try ImageDigest.compute(manifestJSON: json, rootfs: rootfs, knownHashes: copy.hashes)

        try StoreLock.withLock(lockPath) { () throws(LocalRuntimeError) in
            let blob = blobPath(hex)
            if rename(work, blob) == 0 {
                AtomicFile.syncDirectory(blobsPath)
            } else if !((errno == EEXIST || errno == ENOTEMPTY) && ImageFiles.isDirectory(blob)) {
                throw .io(path: blob, errno: errno)
            }
            try Directory.create(refsPath(name: name))
            try AtomicFile.write([], to: refPath(name: name, hex: hex))
            try Directory.create(tagsPath(name: name))
            try AtomicFile.write(Array("sha256:\(hex)\n".utf8), to: tagPath(name: name, tag: tag))
        }
        return try image(name: name, tag: tag, digest: "sha256:" + hex)
    }

    /// Imports a root staged as `manifests/images/<name>/stage.sh ROOT` does: the files under
    /// `root`, with the manifest they carry at `etc/<manifest name>/image.json`. The image is stored
    /// as `name` when given, else under the manifest's name.
    @discardableResult
    public func importStaged(root: String, tag: String, name: String? = nil) throws(LocalRuntimeError) -> LocalImage {
        let etc = root + "/etc"
        let found = try Self.visibleNames(in: etc).filter { (try? ImageFiles.status(etc + "/" + $0 + "/image.json")) != nil }.sorted()
        guard found.count == 1, let directory = found.first else {
            throw .invalidImage(
                path: root,
                reason: found.isEmpty
                    ? "holds no etc/<name>/image.json manifest"
                    : "holds several manifests (\(found.map { "etc/\($0)/image.json" }.joined(separator: ", "))); stage one image per root")
        }
        let manifestPath = etc + "/" + directory + "/image.json"
        let manifest = try LocalImageManifest.load(path: manifestPath)
        guard manifest.name == directory else {
            throw .invalidImage(path: manifestPath, reason: "field \"name\" is \(manifest.name) but the manifest is in etc/\(directory)/")
        }
        return try importImage(rootfs: root, manifest: manifest, name: name ?? manifest.name, tag: tag)
    }

    /// Throws unless `name:tag` is a valid image name and tag.
    static func checkName(_ name: String, tag: String) throws(LocalRuntimeError) {
        let text = "\(name):\(tag)"
        do throws(ImageRefError) {
            let reference = try ImageRef(parsing: text)
            guard reference.name == name, reference.tag == tag, reference.digest == nil else {
                throw ImageRefError(offset: 0, message: "expected name:tag")
            }
        } catch {
            throw .invalidImage(path: text, reason: "not a valid image name and tag: \(error.message)")
        }
    }

    /// Creates the mount points and every `writable` directory that `rootfs` lacks. A writable
    /// path must cross only directories, never a symlink (which could lead out of the image).
    static func addMountPoints(to rootfs: String, writable: [String], source: String) throws(LocalRuntimeError) {
        for name in mountPoints where try ImageFiles.status(rootfs + "/" + name) == nil {
            try ImageFiles.makeDirectory(rootfs + "/" + name, mode: 0o755)
            try ImageFiles.changeMode(rootfs + "/" + name, 0o755)
        }
        for path in writable {
            var current = rootfs
            for component in path.split(separator: "/") {
                current += "/" + component
                guard let info = try ImageFiles.status(current) else {
                    try ImageFiles.makeDirectory(current, mode: 0o755)
                    try ImageFiles.changeMode(current, 0o755)
                    continue
                }
                guard info.st_mode & ImageFiles.typeMask == ImageFiles.directoryType else {
                    let inside = String(current.dropFirst(rootfs.count))
                    throw .invalidImage(
                        path: source, reason: "writable path \(path) crosses \(inside), which is not a directory in the image")
                }
            }
        }
    }

    /// Removes what imports that died left in `tmp/` (entries untouched for a day); best effort.
    func removeAbandonedImports() {
        guard let names = try? ImageFiles.names(in: temporaryPath) else { return }
        let dayAgo = Int(Date().timeIntervalSince1970) - 86_400
        for name in names {
            let path = temporaryPath + "/" + name
            if let info = try? ImageFiles.status(path), Int(info.st_mtim.tv_sec) < dayAgo {
                try? ImageFiles.removeTree(path)
            }
        }
    }
}

/// Copies a tree for an import: directories are created writable and get their modes at the end
/// (so read-only directories can be filled), each file's SHA-256 is computed while copying, and a
/// file whose content and mode the store's `files/` pool already holds becomes a hard link to it.
struct ImageTreeCopy {
    /// The pool of shared files (`files/<hex>-<mode>`), or nil to copy only.
    let pool: String?
    /// A directory on the same file system for temporary link names.
    let scratch: String
    /// Relative path to hex SHA-256 of every file copied.
    private(set) var hashes: [String: String] = [:]
    /// How many files became links to pooled content.
    private(set) var sharedFiles = 0
    private var directoryModes: [(path: String, mode: UInt32)] = []

    init(pool: String?, scratch: String) {
        self.pool = pool
        self.scratch = scratch
    }

    /// Copies everything below `source` into the existing directory `destination`.
    mutating func copy(from source: String, to destination: String) throws(LocalRuntimeError) {
        // Sorted paths put every directory before what it holds.
        for entry in try ImageFiles.walk(source) {
            let target = destination + "/" + entry.path
            switch entry.kind {
            case .directory:
                try ImageFiles.makeDirectory(target, mode: 0o700, existingIsFine: false)
                directoryModes.append((target, entry.mode))
            case .symlink:
                guard symlink(entry.target ?? "", target) == 0 else { throw .io(path: target, errno: errno) }
            case .file:
                let hex = SHA256.hex(try ImageFiles.copyFile(source + "/" + entry.path, to: target, mode: entry.mode))
                hashes[entry.path] = hex
                share(target, hex: hex, mode: entry.mode)
            }
        }
    }

    /// Gives every copied directory its source mode, deepest first.
    func applyDirectoryModes() throws(LocalRuntimeError) {
        for (path, mode) in directoryModes.reversed() { try ImageFiles.changeMode(path, mode) }
    }

    /// Replaces the copy at `path` with a link to the pooled file of equal content and mode, or
    /// adds it to the pool. The pooled file is re-hashed first, so a changed pool entry is never used.
    private mutating func share(_ path: String, hex: String, mode: UInt32) {
        guard let pool else { return }
        let pooled = pool + "/" + hex + "-" + String(mode, radix: 8)
        var info = stat()
        guard lstat(pooled, &info) == 0 else {
            _ = link(path, pooled)
            return
        }
        guard info.st_mode & 0o7777 == mode, info.st_mode & ImageFiles.typeMask == ImageFiles.fileType,
              (try? SHA256.hex(SHA256.hash(fileAtPath: pooled))) == hex
        else { return }
        let temporary = scratch + "/.link-" + UUID().uuidString
        guard link(pooled, temporary) == 0 else { return }
        if rename(temporary, path) == 0 {
            sharedFiles += 1
        } else {
            unlink(temporary)
        }
    }
}
