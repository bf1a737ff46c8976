import Foundation

/// Files replaced atomically: a reader sees the old bytes or the new ones, never a mix, and the
/// new ones survive a crash once `write` returns. The temporary file's name starts with a dot and
/// does not end in `.json`, so no glob of the runtime's (Prometheus's `*.json`) matches it.
enum AtomicFile {
    /// Writes `bytes` to a temporary file beside `path`, fsyncs it and renames it over `path`, so a
    /// reader sees the old bytes or the new ones, never a mix. Errors name `path`.
    static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws(LocalRuntimeError) {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = directory + "/.tmp-" + UUID().uuidString
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .io(path: path, errno: errno) }
        var closed = false
        defer {
            if !closed { close(fd) }
            unlink(temporary)
        }
        let failure: LocalRuntimeError? = bytes.withUnsafeBytes { raw in
            do throws(LocalRuntimeError) {
                try writeAll(fd, raw, path: path)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
        guard fchmod(fd, mode) == 0, fsync(fd) == 0 else { throw .io(path: path, errno: errno) }
        close(fd)
        closed = true
        guard rename(temporary, path) == 0 else { throw .io(path: path, errno: errno) }
        syncDirectory(directory)
    }

    /// Flushes a directory's entries (after a rename into it); failures are ignored.
    static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(LocalRuntimeError) {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, errno: errno)
            }
            offset += written
        }
    }
}
