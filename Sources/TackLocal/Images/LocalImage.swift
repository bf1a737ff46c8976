import Foundation
import TackCore

/// An image in the local image store, as a reference resolved to it.
public struct LocalImage: Hashable, Sendable {
    /// The repository name, such as `lora-scripts`.
    public var name: String
    /// The tag it was found by, or nil when found by digest alone (or listed without a tag).
    public var tag: String?
    /// `sha256:` and 64 hex digits: what runs.
    public var digest: String
    /// What the image runs and how.
    public var manifest: LocalImageManifest
    /// The image's directory in the store (`blobs/sha256/<hex>`).
    public var directory: String
    /// The image's files: the directory a container uses as its root.
    public var rootfs: String { directory + "/rootfs" }
    /// The bytes of all regular files in the rootfs.
    public var sizeInBytes: Int64
    /// When the image's content was first imported into this store.
    public var created: Date

    /// The reference pinned to this content: `name[:tag]@sha256:…`.
    public var reference: ImageRef {
        let parsed = try? ImageRef(parsing: name)
        return ImageRef(domain: parsed?.domain, path: parsed?.path ?? name, tag: tag, digest: digest)
    }

    /// `name:tag`, or `name@sha256:…` without a tag.
    public var displayName: String { tag.map { "\(name):\($0)" } ?? "\(name)@\(digest)" }

    /// Creates an image value.
    public init(
        name: String, tag: String?, digest: String, manifest: LocalImageManifest, directory: String,
        sizeInBytes: Int64, created: Date
    ) {
        self.name = name
        self.tag = tag
        self.digest = digest
        self.manifest = manifest
        self.directory = directory
        self.sizeInBytes = sizeInBytes
        self.created = created
    }
}
