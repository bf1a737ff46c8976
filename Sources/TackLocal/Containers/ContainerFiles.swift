#if canImport(Glibc)
import Glibc
#endif

/// The file operations the container runtimes need, as plain POSIX calls whose errors carry the
/// path and errno.
enum ContainerFiles {
    /// Whether anything (a file, directory, device, or a symbolic link's target) is at `path`.
    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// Whether `path` is a regular file (following symbolic links).
    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// Makes `path` owned by `uid`:`gid`.
    static func changeOwner(_ path: String, uid: UInt32, gid: UInt32) throws(LocalRuntimeError) {
        if chown(path, uid, gid) != 0 { throw .io(path: path, errno: errno) }
    }

    /// Removes the file at `path`; a missing file is fine.
    static func remove(_ path: String) throws(LocalRuntimeError) {
        if unlink(path) != 0 && errno != ENOENT { throw .io(path: path, errno: errno) }
    }

    /// The size of the file at `path`, or 0 when there is none.
    static func size(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }

    /// The names in directory `path` (without . and ..); none when it does not exist.
    static func names(in path: String) throws(LocalRuntimeError) -> [String] {
        guard let directory = opendir(path) else {
            if errno == ENOENT { return [] }
            throw .io(path: path, errno: errno)
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// The directory part of an absolute path: "/a/b" → "/a", "/a" → "/".
    static func parentPath(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
