import Foundation
import TackCore

#if canImport(Glibc)
import Glibc
#endif

/// What `LocalImageStore.remove(_:)` did.
public struct LocalImageRemoval: Hashable, Sendable {
    /// The `name:tag`s removed.
    public var untagged: [String]
    /// The digest whose files were deleted, or nil when another tag or name still uses them.
    public var deletedDigest: String?
}

extension LocalImageStore {
    /// Removes a tag (`name:tag`, or `name` for `latest`) or, for `name@sha256:…`, every tag of
    /// `name` on that digest and the name's claim on it; the image's files are deleted once no
    /// name refers to them.
    @discardableResult
    public func remove(_ reference: ImageRef) throws(LocalRuntimeError) -> LocalImageRemoval {
        try StoreLock.withLock(lockPath) { () throws(LocalRuntimeError) in
            let image = try resolve(reference)
            let name = image.name
            let hex = String(image.digest.dropFirst("sha256:".count))
            var removing: [String] = []
            if let tag = image.tag {
                removing = [tag]
            } else {
                for tag in try tags(name: name) where try digest(name: name, tag: tag) == image.digest { removing.append(tag) }
            }
            for tag in removing {
                let path = tagPath(name: name, tag: tag)
                guard unlink(path) == 0 || errno == ENOENT else { throw .io(path: path, errno: errno) }
            }
            AtomicFile.syncDirectory(tagsPath(name: name))
            let stillTagged = try tags(name: name).contains { tag in (try? digest(name: name, tag: tag)) == image.digest }
            if !stillTagged {
                let path = refPath(name: name, hex: hex)
                guard unlink(path) == 0 || errno == ENOENT else { throw .io(path: path, errno: errno) }
            }
            rmdir(tagsPath(name: name))
            rmdir(refsPath(name: name))

            var deleted: String?
            let referenced = try names().contains { (try? ImageFiles.status(refPath(name: $0, hex: hex))) != nil }
            if !referenced {
                try deleteBlob(hex)
                deleted = image.digest
            }
            return LocalImageRemoval(untagged: removing.map { "\(name):\($0)" }, deletedDigest: deleted)
        }
    }

    /// Moves the image directory out of `blobs/` (one rename, so it vanishes whole), deletes it,
    /// and drops pooled files no image links to any more. Called with the lock held.
    private func deleteBlob(_ hex: String) throws(LocalRuntimeError) {
        try Directory.create(temporaryPath)
        let doomed = temporaryPath + "/remove-" + UUID().uuidString
        guard rename(blobPath(hex), doomed) == 0 else { throw .io(path: blobPath(hex), errno: errno) }
        AtomicFile.syncDirectory(blobsPath)
        try ImageFiles.removeTree(doomed)
        for name in try Self.visibleNames(in: filesPath) {
            var info = stat()
            if lstat(filesPath + "/" + name, &info) == 0 && info.st_nlink == 1 { unlink(filesPath + "/" + name) }
        }
    }
}
