import Foundation

/// What tells a file changed without reading it: size, modification time and inode.
struct FileStamp: Hashable, Sendable {
    var size: UInt64 = 0
    var modified: Date = .distantPast
    var inode: UInt64 = 0

    init() {}

    /// The stamp of the file at `path` (following symbolic links), or nil when it cannot be examined.
    init?(path: String) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: (path as NSString).resolvingSymlinksInPath) else {
            return nil
        }
        size = (attributes[.size] as? NSNumber)?.uint64Value ?? 0
        modified = attributes[.modificationDate] as? Date ?? .distantPast
        inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
    }
}
