import Foundation

/// The controller's bearer token: 32 random bytes in hex, kept in `$TACK_HOME/controller.token`
/// with mode 0600, created on the controller's first start and reused afterwards.
public enum ControllerToken {
    /// The token file of the state directory `home`.
    public static func path(home: String) -> String {
        URL(fileURLWithPath: home).appendingPathComponent("controller.token").path
    }

    /// The token in `home`, created (mode 0600, atomically) when there is none yet.
    public static func loadOrCreate(home: String) throws(ControllerError) -> String {
        let path = path(home: home)
        if let token = try readToken(path) { return token }
        do {
            try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        } catch {
            throw .tokenFile(path: path, reason: "cannot create the directory \(home)")
        }
        let temporary = path + ".\(getpid()).tmp"
        try writeNew(temporary, contents: generate() + "\n")
        defer { unlink(temporary) }
        // link(2) never replaces a file: when another controller created one meanwhile, its token wins.
        if link(temporary, path) != 0, errno != EEXIST { throw failure(path, "cannot create it") }
        guard let token = try readToken(path) else { throw .tokenFile(path: path, reason: "it vanished once created") }
        return token
    }

    /// The token in `home`, or nil when the controller has not created one yet.
    public static func load(home: String) throws(ControllerError) -> String? {
        try readToken(path(home: home))
    }

    /// 32 bytes from the system's random generator, as 64 lowercase hex digits.
    static func generate() -> String {
        var random = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for _ in 0..<32 {
            let byte = UInt8.random(in: .min ... .max, using: &random)
            text += [digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]]
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The file's first line, or nil when there is no file; a file others may read is made 0600.
    private static func readToken(_ path: String) throws(ControllerError) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw failure(path, "cannot open it")
        }
        defer { close(descriptor) }
        var info = stat()
        if fstat(descriptor, &info) == 0, info.st_mode & 0o077 != 0 { _ = fchmod(descriptor, 0o600) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 512)
        while bytes.count <= 4096 {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw failure(path, "cannot read it") }
            if count == 0 { break }
            bytes += buffer[0..<count]
        }
        let token = String(decoding: bytes.prefix { $0 != 10 && $0 != 13 }, as: UTF8.self)
        guard !token.isEmpty else { throw .tokenFile(path: path, reason: "it is empty; delete it and start the controller again") }
        return token
    }

    /// Creates `path`, which must not exist, with mode 0600, and writes `contents` durably.
    private static func writeNew(_ path: String, contents: String) throws(ControllerError) {
        unlink(path)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw failure(path, "cannot create it") }
        defer { close(descriptor) }
        let bytes = Array(contents.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(descriptor) == 0 else {
            let error = failure(path, "cannot write it")
            unlink(path)
            throw error
        }
    }

    /// An error naming `path` and the system's reason for the last failed call.
    private static func failure(_ path: String, _ what: String) -> ControllerError {
        .tokenFile(path: path, reason: "\(what): \(String(cString: strerror(errno)))")
    }
}
