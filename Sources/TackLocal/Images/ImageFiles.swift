import TackCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One entry of an image's file tree, as the digest sees it.
struct ImageFileEntry: Hashable, Sendable {
    enum Kind: String, Sendable {
        case directory = "d", file = "f", symlink = "l"
    }

    /// The path relative to the tree's root, without a leading `/` or `./`.
    var path: String
    var kind: Kind
    /// The permission bits with setuid, setgid and sticky (`st_mode & 07777`).
    var mode: UInt32
    /// The byte count of a file, the target's byte count for a symlink, 0 for a directory.
    var size: Int64
    /// The symlink's target, for symlinks.
    var target: String?
}

/// The POSIX file operations the image store needs, each error naming its path. Plain calls rather
/// than FileManager, because the store needs exact mode bits, symlinks left as they are, and errno.
enum ImageFiles {
    static let typeMask: mode_t = 0o170000
    static let directoryType: mode_t = 0o040000
    static let fileType: mode_t = 0o100000
    static let symlinkType: mode_t = 0o120000

    /// `lstat` of `path`, or nil when it does not exist.
    static func status(_ path: String) throws(LocalRuntimeError) -> stat? {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw .io(path: path, errno: errno)
        }
        return info
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & typeMask == directoryType
    }

    /// The names in a directory, without `.` and `..`; a name that is not UTF-8 is an error.
    static func names(in directory: String) throws(LocalRuntimeError) -> [String] {
        guard let handle = opendir(directory) else { throw .io(path: directory, errno: errno) }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(validatingCString: $0) }
            }
            guard let name else {
                throw .invalidImage(path: directory, reason: "holds a file name that is not UTF-8")
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// The target of the symlink at `path`.
    static func linkTarget(_ path: String) throws(LocalRuntimeError) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { throw .io(path: path, errno: errno) }
        guard let target = String(validating: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) else {
            throw .invalidImage(path: path, reason: "is a symlink whose target is not UTF-8")
        }
        return target
    }

    /// Every entry below `root` (the root itself excluded), sorted by the bytes of the relative path.
    /// Anything but directories, regular files and symlinks is refused.
    static func walk(_ root: String) throws(LocalRuntimeError) -> [ImageFileEntry] {
        var entries: [ImageFileEntry] = []
        var pending = [""]
        while let relative = pending.popLast() {
            let directory = relative.isEmpty ? root : root + "/" + relative
            for name in try names(in: directory) {
                let path = relative.isEmpty ? name : relative + "/" + name
                let entry = try entry(root + "/" + path, relative: path)
                entries.append(entry)
                if entry.kind == .directory { pending.append(path) }
            }
        }
        return entries.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }

    /// The entry for the file at `fullPath`.
    static func entry(_ fullPath: String, relative: String) throws(LocalRuntimeError) -> ImageFileEntry {
        guard let info = try status(fullPath) else { throw .io(path: fullPath, errno: ENOENT) }
        let mode = UInt32(info.st_mode & 0o7777)
        switch info.st_mode & typeMask {
        case directoryType:
            return ImageFileEntry(path: relative, kind: .directory, mode: mode, size: 0)
        case fileType:
            return ImageFileEntry(path: relative, kind: .file, mode: mode, size: Int64(info.st_size))
        case symlinkType:
            let target = try linkTarget(fullPath)
            return ImageFileEntry(path: relative, kind: .symlink, mode: mode, size: Int64(target.utf8.count), target: target)
        default:
            throw .invalidImage(
                path: fullPath, reason: "is a device, socket or FIFO; an image holds only files, directories and symlinks")
        }
    }

    /// Creates a directory; an existing one is fine when `existingIsFine`.
    static func makeDirectory(_ path: String, mode: mode_t = 0o755, existingIsFine: Bool = true) throws(LocalRuntimeError) {
        guard mkdir(path, mode) == 0 else {
            if errno == EEXIST && existingIsFine && isDirectory(path) { return }
            throw .io(path: path, errno: errno)
        }
    }

    static func changeMode(_ path: String, _ mode: UInt32) throws(LocalRuntimeError) {
        guard chmod(path, mode_t(mode)) == 0 else { throw .io(path: path, errno: errno) }
    }

    /// Copies the regular file `source` to the new file `destination` with `mode`, fsyncs it, and
    /// returns the SHA-256 of the bytes written.
    static func copyFile(_ source: String, to destination: String, mode: UInt32) throws(LocalRuntimeError) -> [UInt8] {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw .io(path: source, errno: errno) }
        defer { close(input) }
        let output = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard output >= 0 else { throw .io(path: destination, errno: errno) }
        defer { close(output) }
        var hasher = SHA256()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(input, buffer.baseAddress, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw .io(path: source, errno: errno)
            }
            if count == 0 { break }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            hasher.update(chunk)
            try AtomicFile.writeAll(output, chunk, path: destination)
        }
        guard fchmod(output, mode_t(mode)) == 0 else { throw .io(path: destination, errno: errno) }
        guard fsync(output) == 0 else { throw .io(path: destination, errno: errno) }
        return hasher.finalize()
    }

    /// Removes `path` and everything below it, making directories writable first (an image may
    /// carry read-only directories). A missing path is fine.
    static func removeTree(_ path: String) throws(LocalRuntimeError) {
        guard let info = try status(path) else { return }
        if info.st_mode & typeMask == directoryType {
            if info.st_mode & 0o700 != 0o700 { try changeMode(path, 0o700) }
            for name in try names(in: path) { try removeTree(path + "/" + name) }
            guard rmdir(path) == 0 || errno == ENOENT else { throw .io(path: path, errno: errno) }
        } else {
            guard unlink(path) == 0 || errno == ENOENT else { throw .io(path: path, errno: errno) }
        }
    }

}
