import Foundation
import TackCore

/// What a local image runs and how: the `image.json` beside an image's files
/// (`manifests/images/lora-train/image.json` is one).
public struct LocalImageManifest: Codable, Sendable, Hashable {
    /// The image's own name, such as `lora-train`; a staged root carries the manifest at `etc/<name>/image.json`.
    public var name: String
    /// The program and its first arguments; the program is an absolute path inside the image.
    public var entrypoint: [String]
    /// Arguments after the entrypoint.
    public var args: [String]
    /// Environment variables the process starts with.
    public var env: [String: String]
    /// The numeric `uid:gid` the process runs as.
    public var user: String
    /// Absolute container paths that must be writable (everything else is read-only).
    public var writable: [String]
    /// The HTTP path that answers 200 when the process is ready, such as `/readyz`.
    public var readiness: String?
    /// The Debian packages the image needs on the host (informational).
    public var packages: [String]

    /// Creates a manifest without validating it.
    public init(
        name: String, entrypoint: [String], args: [String] = [], env: [String: String] = [:], user: String,
        writable: [String] = [], readiness: String? = nil, packages: [String] = []
    ) {
        self.name = name
        self.entrypoint = entrypoint
        self.args = args
        self.env = env
        self.user = user
        self.writable = writable
        self.readiness = readiness
        self.packages = packages
    }

    /// The user and group ids of `user`, or nil when it is not two decimal integers.
    public var userAndGroup: (uid: UInt32, gid: UInt32)? {
        let parts = user.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) }),
              let uid = UInt32(parts[0]), let gid = UInt32(parts[1])
        else { return nil }
        return (uid, gid)
    }

    /// Reads, decodes and validates the manifest file at `path`.
    public static func load(path: String, allowRoot: Bool = false) throws(LocalRuntimeError) -> LocalImageManifest {
        try decode(POSIXRead.bytes(atPath: path), path: path, allowRoot: allowRoot)
    }

    /// Decodes and validates manifest JSON; errors name `path` and the field.
    public static func decode(_ bytes: [UInt8], path: String, allowRoot: Bool = false) throws(LocalRuntimeError) -> LocalImageManifest {
        let manifest: LocalImageManifest
        do {
            manifest = try JSONDecoder().decode(LocalImageManifest.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw .invalidImage(path: path, reason: Self.describe(error))
        } catch {
            throw .invalidImage(path: path, reason: "\(error)")
        }
        try manifest.validate(path: path, allowRoot: allowRoot)
        return manifest
    }

    /// Checks every field; the error names `path` and the first field that is wrong.
    /// A uid or gid of 0 is refused unless `allowRoot`.
    public func validate(path: String, allowRoot: Bool = false) throws(LocalRuntimeError) {
        func fail(_ field: String, _ problem: String) -> LocalRuntimeError {
            .invalidImage(path: path, reason: "field \"\(field)\" \(problem)")
        }
        if let problem = Self.nameProblem(name) { throw fail("name", problem) }
        guard let program = entrypoint.first else { throw fail("entrypoint", "is empty; name the program to run, e.g. [\"/usr/local/bin/app\"]") }
        guard program.hasPrefix("/") else { throw fail("entrypoint", "must start with an absolute path, not \"\(program)\"") }
        for (field, values) in [("entrypoint", entrypoint), ("args", args), ("packages", packages)] where values.contains(where: { $0.contains("\0") }) {
            throw fail(field, "contains a NUL character")
        }
        for (key, value) in env.sorted(by: { $0.key < $1.key }) {
            guard !key.isEmpty, !key.contains("="), !key.contains("\0") else {
                throw fail("env", "has the name \"\(key)\"; a name must be non-empty and contain no = or NUL")
            }
            guard !value.contains("\0") else { throw fail("env", "value of \(key) contains a NUL character") }
        }
        guard let ids = userAndGroup else { throw fail("user", "must be numeric uid:gid, e.g. 65532:65532, not \"\(user)\"") }
        if !allowRoot && (ids.uid == 0 || ids.gid == 0) {
            throw fail("user", "is \(user): images run as a non-root user and group")
        }
        for path in writable {
            guard Self.isCleanAbsolutePath(path), path != "/" else {
                throw fail("writable", "entry \"\(path)\" must be an absolute path below / without . or .. components")
            }
        }
        if let readiness, !readiness.hasPrefix("/") || readiness.contains(where: { $0.isWhitespace }) {
            throw fail("readiness", "must be an HTTP path starting with /, e.g. /readyz, not \"\(readiness)\"")
        }
    }

    /// Why `name` is not a valid image name, or nil when it is.
    static func nameProblem(_ name: String) -> String? {
        do {
            let reference = try ImageRef(parsing: name)
            guard reference.tag == nil, reference.digest == nil, reference.domain == nil, !name.contains("/") else {
                return "must be a plain image name such as lora-train, not \"\(name)\""
            }
            return nil
        } catch {
            return "is not a valid image name: \(error.message)"
        }
    }

    /// Whether `path` is absolute, has no empty, `.` or `..` components, and no NUL.
    static func isCleanAbsolutePath(_ path: String) -> Bool {
        guard path.hasPrefix("/"), !path.contains("\0") else { return false }
        let parts = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        return path == "/" || parts.allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }

    /// A sentence for a decoding error that names the field.
    private static func describe(_ error: DecodingError) -> String {
        func field(_ path: [any CodingKey]) -> String {
            path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop(while: { $0 == "." }).description
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "field \"\(field(context.codingPath + [key]))\" is missing"
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return "field \"\(field(context.codingPath))\" must be \(Self.typeName(type))"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? "not valid JSON: \(context.debugDescription)"
                : "field \"\(field(context.codingPath))\": \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is [String].Type: "an array of strings"
        case is [String: String].Type: "an object of strings"
        default: "\(type)"
        }
    }
}

extension LocalImageManifest {
    private enum CodingKeys: String, CodingKey, CaseIterable {
        case name, entrypoint, args, env, user, writable, readiness, packages
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Decodes the manifest; absent lists are empty, and an unknown field is an error (a typo would otherwise pass).
    public init(from decoder: any Decoder) throws {
        let all = try decoder.container(keyedBy: AnyKey.self)
        let known = Set(CodingKeys.allCases.map(\.rawValue))
        if let unknown = all.allKeys.map(\.stringValue).sorted().first(where: { !known.contains($0) }) {
            throw DecodingError.dataCorrupted(.init(
                codingPath: [AnyKey(stringValue: unknown)],
                debugDescription: "is not a manifest field; fields are \(known.sorted().joined(separator: ", "))"))
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        entrypoint = try container.decode([String].self, forKey: .entrypoint)
        args = try container.decodeIfPresent([String].self, forKey: .args) ?? []
        env = try container.decodeIfPresent([String: String].self, forKey: .env) ?? [:]
        user = try container.decode(String.self, forKey: .user)
        writable = try container.decodeIfPresent([String].self, forKey: .writable) ?? []
        readiness = try container.decodeIfPresent(String.self, forKey: .readiness)
        packages = try container.decodeIfPresent([String].self, forKey: .packages) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(entrypoint, forKey: .entrypoint)
        try container.encode(args, forKey: .args)
        try container.encode(env, forKey: .env)
        try container.encode(user, forKey: .user)
        try container.encode(writable, forKey: .writable)
        try container.encodeIfPresent(readiness, forKey: .readiness)
        try container.encode(packages, forKey: .packages)
    }
}
