import Foundation

/// Directories the runtime creates, with plain POSIX calls so that failures carry their errno.
enum Directory {
    /// Creates `path` and its missing parents (mode 0755). An existing directory is fine; an
    /// existing file in the way is an error (ENOTDIR).
    static func create(_ path: String) throws(LocalRuntimeError) {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            guard mkdir(current, 0o755) != 0 else { continue }
            guard errno == EEXIST else { throw .io(path: current, errno: errno) }
            var info = stat()
            guard stat(current, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { throw .io(path: current, errno: ENOTDIR) }
        }
    }
}
