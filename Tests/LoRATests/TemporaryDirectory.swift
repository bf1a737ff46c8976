import Foundation
@testable import LoRA

/// A fresh directory for one test's files, removed when the test is done.
final class TemporaryDirectory {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "lora-tests-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `bytes` to a file named `name` and returns its path.
    func file(_ name: String, bytes: [UInt8]) -> String {
        let file = path + "/" + name
        _ = FileManager.default.createFile(atPath: file, contents: Data(bytes))
        return file
    }

    /// A safetensors file of `header` (a length prefix is prepended, no padding) followed by `data`.
    func safetensors(_ name: String, header: String, data: [UInt8]) -> String {
        var bytes: [UInt8] = []
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
        return file(name, bytes: bytes + Array(header.utf8) + data)
    }

    /// The error opening the file at `path` throws, or nil when it opens.
    static func openError(_ path: String) -> SafetensorsError? {
        do {
            _ = try SafetensorsFile(path: path)
            return nil
        } catch {
            return error
        }
    }
}
