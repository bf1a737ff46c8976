import Foundation
import TackHTTP

extension NginxRouter {
    /// Polls the control server until it answers `generation`. Throws when the master exits, when
    /// the error log gains an emergency line after `errorLogOffset` (a reload nginx refused), or
    /// after `loadTimeout`.
    func waitUntilServing(
        _ generation: Int, master: ProcessHandle, config: NginxConfig, errorLogOffset: Int?
    ) async throws(LocalRuntimeError) {
        let deadline = ContinuousClock.now + loadTimeout
        while true {
            if await answeredGeneration(config) == generation { return }
            let state = master.state()
            if state != .running {
                let status: Int32 = switch state {
                case .exited(let code): code
                case .signalled(let signal): 128 + signal
                default: -1
                }
                throw .commandFailed(
                    command: "nginx", status: status,
                    output: String(POSIXRead.tail(atPath: config.errorLogPath, limit: 2000).trimmingCharacters(in: .whitespacesAndNewlines)))
            }
            if let errorLogOffset, !Self.errors(in: config.errorLogPath, after: errorLogOffset).isEmpty {
                let errors = await settledErrors(config, after: errorLogOffset, deadline: deadline)
                throw .configurationNotLoaded(program: "nginx", reason: errors.joined(separator: "; "))
            }
            if ContinuousClock.now >= deadline {
                if errorLogOffset == nil {
                    throw .timedOut(what: "nginx to answer on 127.0.0.1:\(config.controlPort)", seconds: loadTimeout.seconds)
                }
                throw .configurationNotLoaded(
                    program: "nginx", reason: "no worker answered generation \(generation) within \(loadTimeout.seconds) s")
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// The distinct errors of a reload nginx refused, once it has given up: it retries a bind
    /// that failed for 2.5 s, and until then its next reload would be mistaken for this one.
    private func settledErrors(_ config: NginxConfig, after offset: Int, deadline: ContinuousClock.Instant) async -> [String] {
        var size = Self.size(of: config.errorLogPath)
        var quietSince = ContinuousClock.now
        while ContinuousClock.now < deadline, ContinuousClock.now - quietSince < .milliseconds(700) {
            if Self.errors(in: config.errorLogPath, after: offset).contains(where: { $0.contains("still could not bind") }) { break }
            try? await Task.sleep(for: .milliseconds(20))
            let now = Self.size(of: config.errorLogPath)
            if now != size { (size, quietSince) = (now, .now) }
        }
        var seen: Set<String> = []
        return Self.errors(in: config.errorLogPath, after: offset).filter { seen.insert($0).inserted }
    }

    /// The generation the control server answers now (on a fresh connection, so a worker that
    /// is shutting down cannot answer), or nil when it does not answer.
    func answeredGeneration(_ config: NginxConfig) async -> Int? {
        guard let client = try? probe() else { return nil }
        let request = HTTPRequest(
            url: "http://127.0.0.1:\(config.controlPort)/generation", headers: ["Connection": "close"], timeout: .seconds(1))
        guard let response = try? await client.send(request), response.status == 200 else { return nil }
        return Int(String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The HTTP client for the control server, made on first use.
    private func probe() throws(LocalRuntimeError) -> CurlHTTPClient {
        if let probeClient { return probeClient }
        do {
            let client = try CurlHTTPClient(
                configuration: HTTPClientConfiguration(
                    connectTimeout: .seconds(1), requestTimeout: .seconds(1), retry: .never, maxConnectionsPerHost: 2))
            probeClient = client
            return client
        } catch {
            throw .requestFailed(service: "nginx", reason: error.description)
        }
    }
}
