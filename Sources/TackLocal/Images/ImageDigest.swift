import TackCore

/// The digest of a local image: SHA-256 over a canonical description of its manifest and files,
/// so that equal content gives an equal digest wherever and whenever it was imported.
///
/// The description is these bytes, in order (`␤` is one 0x0a byte, `<n>` a decimal number,
/// `<octal>` four octal digits of `st_mode & 07777`, `<hex>` 64 lowercase hex digits, and `<len>:<text>`
/// the byte count of `text`'s UTF-8 followed by a colon and the text):
///
///     tack-image-v1␤
///     manifest <n>␤<the n bytes of LocalImageManifest.canonicalJSON>␤
///
/// then one line per entry below `rootfs/` (the rootfs directory itself excluded), sorted by the
/// bytes of the relative path (as `LC_ALL=C sort` does), paths written without a leading `/`:
///
///     d <octal> <len>:<path>␤                        a directory
///     f <octal> <n> <hex> <len>:<path>␤              a regular file: size in bytes, SHA-256 of its content
///     l <octal> <len>:<target> <len>:<path>␤         a symlink and its target, as readlink gives it
///
/// The image digest is `sha256:` followed by the hex SHA-256 of that description. Owners, times
/// and hard-link structure are not part of it; anything but directories, files and symlinks is
/// refused. `Tests/TackLocalTests/Fixtures/images/digest.sh` computes the same digest with
/// `find` and `sha256sum`.
enum ImageDigest {
    static let header = "tack-image-v1\n"

    /// The hex digest of `manifestJSON` and the tree at `rootfs`. `knownHashes` (relative path to
    /// hex SHA-256) spares re-reading files whose content hash the caller just computed.
    static func compute(
        manifestJSON: [UInt8], rootfs: String, knownHashes: [String: String] = [:]
    ) throws(LocalRuntimeError) -> String {
        var hasher = SHA256()
        hasher.update(header)
        hasher.update("manifest \(manifestJSON.count)\n")
        hasher.update(manifestJSON)
        hasher.update("\n")
        for entry in try ImageFiles.walk(rootfs) {
            let mode = String(entry.mode, radix: 8)
            let octal = String(repeating: "0", count: max(0, 4 - mode.count)) + mode
            switch entry.kind {
            case .directory:
                hasher.update("d \(octal) \(prefixed(entry.path))\n")
            case .file:
                var content = knownHashes[entry.path] ?? ""
                if content.isEmpty { content = SHA256.hex(try SHA256.hash(fileAtPath: rootfs + "/" + entry.path)) }
                hasher.update("f \(octal) \(entry.size) \(content) \(prefixed(entry.path))\n")
            case .symlink:
                hasher.update("l \(octal) \(prefixed(entry.target ?? "")) \(prefixed(entry.path))\n")
            }
        }
        return SHA256.hex(hasher.finalize())
    }

    private static func prefixed(_ text: String) -> String { "\(text.utf8.count):\(text)" }
}
