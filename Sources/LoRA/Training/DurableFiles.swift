import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// File writes that survive a crash: files are fsynced, and a directory is built under a
/// temporary name and renamed into place.
enum DurableFiles {
    /// The marker of a directory still being written; listings skip names containing it.
    static let temporaryMarker = ".tmp-"

    /// Builds a directory at `path` by calling `build` with a temporary directory beside it,
    /// then renames that over `path` (replacing an existing directory).
    ///
    /// An existing `path` is first moved aside to `path.tmp-PID-old`, so a crash between the two
    /// renames leaves both versions on disk under temporary names.
    static func replaceDirectory(
        at path: String, _ build: (String) throws(LoRAError) -> Void
    ) throws(LoRAError) {
        let manager = FileManager.default
        let parent = (path as NSString).deletingLastPathComponent
        let temporary = "\(path)\(temporaryMarker)\(getpid())"
        let displaced = "\(temporary)-old"
        do {
            if !parent.isEmpty { try manager.createDirectory(atPath: parent, withIntermediateDirectories: true) }
            for leftover in [temporary, displaced] where manager.fileExists(atPath: leftover) {
                try manager.removeItem(atPath: leftover)
            }
            try manager.createDirectory(atPath: temporary, withIntermediateDirectories: false)
        } catch {
            throw .cannotWrite(path: path, reason: describe(error))
        }
        do throws(LoRAError) {
            try build(temporary)
            POSIXFile.syncDirectory(temporary)
            var isDirectory: ObjCBool = false
            if manager.fileExists(atPath: path, isDirectory: &isDirectory) {
                guard isDirectory.boolValue else { throw .cannotWrite(path: path, reason: "a file of that name is in the way") }
                try rename(path, to: displaced)
                try rename(temporary, to: path)
                try? manager.removeItem(atPath: displaced)
            } else {
                try rename(temporary, to: path)
            }
        } catch {
            try? manager.removeItem(atPath: temporary)
            throw error
        }
        POSIXFile.syncDirectory(parent.isEmpty ? "." : parent)
    }

    /// Writes `bytes` to a new file at `path` and fsyncs it.
    static func write(_ bytes: [UInt8], to path: String) throws(LoRAError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw .cannotWrite(path: path, reason: POSIXFile.errnoText()) }
        if let reason = POSIXFile.writeAll(bytes, to: descriptor) {
            close(descriptor)
            throw .cannotWrite(path: path, reason: reason)
        }
        guard fsync(descriptor) == 0 else {
            let reason = POSIXFile.errnoText()
            close(descriptor)
            throw .cannotWrite(path: path, reason: "fsync: \(reason)")
        }
        guard close(descriptor) == 0 else { throw .cannotWrite(path: path, reason: "close: \(POSIXFile.errnoText())") }
    }

    /// The reason a Foundation file operation failed, without the noise of NSError's description.
    static func describe(_ error: any Error) -> String { (error as NSError).localizedDescription }

    private static func rename(_ source: String, to destination: String) throws(LoRAError) {
        #if canImport(Glibc)
        let result = Glibc.rename(source, destination)
        #else
        let result = Darwin.rename(source, destination)
        #endif
        guard result == 0 else { throw .cannotWrite(path: destination, reason: "rename from \(source): \(POSIXFile.errnoText())") }
    }
}
