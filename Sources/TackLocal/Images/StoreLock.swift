#if canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock` on a file, held while a closure runs. flock locks belong to an open file
/// description, so two processes, or two threads of one process, exclude each other.
enum StoreLock {
    /// Runs `body` while holding the lock on `path` (created when missing).
    static func withLock<T>(_ path: String, _ body: () throws(LocalRuntimeError) -> T) throws(LocalRuntimeError) -> T {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(path: path, errno: errno) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw .io(path: path, errno: errno) }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}
