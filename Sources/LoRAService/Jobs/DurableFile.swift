import Foundation
import LoRA

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The POSIX file calls the journal and job files need: whole writes, fsync of files and directories.
enum DurableFile {
    /// Writes `bytes` to a new file at `path` and fsyncs it.
    static func write(_ bytes: [UInt8], to path: String) throws(JobError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw .cannotWrite(path: path, reason: errnoText()) }
        defer { close(descriptor) }
        if let reason = writeAll(bytes, to: descriptor) { throw .cannotWrite(path: path, reason: reason) }
        guard fsync(descriptor) == 0 else { throw .cannotWrite(path: path, reason: "fsync: \(errnoText())") }
    }

    /// Writes all of `bytes` to `descriptor`, retrying on EINTR; returns the failure's reason, or nil.
    static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> String? { POSIXFile.writeAll(bytes, to: descriptor) }

    /// Makes renames and new files in the directory `path` durable; a failure is not reported.
    static func syncDirectory(_ path: String) { POSIXFile.syncDirectory(path) }

    /// `open(2)`.
    static func open(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 {
        #if canImport(Glibc)
        Glibc.open(path, flags, mode)
        #else
        Darwin.open(path, flags, mode)
        #endif
    }

    /// The text of the current `errno`.
    static func errnoText() -> String { POSIXFile.errnoText() }
}
