import Foundation
import TackCore
import TackHTTP
import TestSupport

/// A real OCI registry (Debian's docker-registry, the CNCF distribution server) on 127.0.0.1 with
/// its storage in a temporary folder, and the HTTP calls that push a tiny image into it.
/// Stopped by `stop()` and on deinit.
final class RegistryServer: @unchecked Sendable {  // the process handle is only touched by the owning test
    let port: Int
    let directory: URL
    private let process: Process
    let http: CurlHTTPClient

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    init() async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tack-registry-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        http = try CurlHTTPClient(configuration: HTTPClientConfiguration(retry: .never))
        var started: (Process, Int)?
        for _ in 1...3 where started == nil {
            let port = try FreePort.next()
            let config = """
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: \(directory.path)/data
                http:
                  addr: 127.0.0.1:\(port)
                """
            let configPath = directory.appendingPathComponent("config.yml").path
            try config.write(toFile: configPath, atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/docker-registry")
            process.arguments = ["serve", configPath]
            let log = directory.appendingPathComponent("registry.log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: log)
            process.standardError = process.standardOutput
            try process.run()
            for _ in 0..<100 where process.isRunning {
                if let response = try? await http.send(HTTPRequest(url: "http://127.0.0.1:\(port)/v2/")), response.status == 200 {
                    started = (process, port)
                    break
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            if started == nil, process.isRunning { process.terminate() }
        }
        guard let (process, port) = started else {
            try? FileManager.default.removeItem(at: directory)
            throw Failure(description: "docker-registry did not start")
        }
        self.process = process
        self.port = port
    }

    deinit {
        stop()
    }

    /// Stops the registry and removes its storage.
    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// `127.0.0.1:PORT`, the registry's domain in image references.
    var domain: String { "127.0.0.1:\(port)" }

    /// Pushes an image with an empty layer list and a config saying `label`; gives the manifest's digest.
    func push(repository: String, tag: String, label: String) async throws -> String {
        let config = Array(#"{"architecture":"amd64","os":"linux","config":{"Labels":{"tack":"\#(label)"}},"rootfs":{"type":"layers","diff_ids":[]}}"#.utf8)
        let configDigest = "sha256:" + SHA256.hex(SHA256.hash(config))
        let upload = try await http.send(HTTPRequest(method: .post, url: "http://\(domain)/v2/\(repository)/blobs/uploads/"))
        guard upload.status == 202, let location = upload.headers["Location"] else {
            throw Failure(description: "blob upload not started: \(upload.status)")
        }
        let put = try await http.send(HTTPRequest(
            method: .put, url: location + (location.contains("?") ? "&" : "?") + "digest=\(configDigest)",
            headers: ["Content-Type": "application/octet-stream"], body: config))
        guard put.status == 201 else { throw Failure(description: "blob upload failed: \(put.status)") }
        let manifest = Array(#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\#(configDigest)","size":\#(config.count)},"layers":[]}"#.utf8)
        let pushed = try await http.send(HTTPRequest(
            method: .put, url: "http://\(domain)/v2/\(repository)/manifests/\(tag)",
            headers: ["Content-Type": "application/vnd.oci.image.manifest.v1+json"], body: manifest))
        guard pushed.status == 201 else { throw Failure(description: "manifest push failed: \(pushed.status)") }
        return "sha256:" + SHA256.hex(SHA256.hash(manifest))
    }

}
