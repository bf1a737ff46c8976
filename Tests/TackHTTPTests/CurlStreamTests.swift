import TackHTTP
import Testing

@Suite("CurlHTTPClient streams")
struct CurlStreamTests {
    @Test("a chunked stream gives each line once, whatever the chunk boundaries, and ends with the body")
    func chunkedLines() async throws {
        let server = try await TestServer()
        defer { server.stop() }
        let client = try makeClient()
        let stream = try await client.stream(HTTPRequest(url: server.url("/chunks")))
        #expect(stream.status == 200)
        #expect(stream.headers["Content-Type"] == "text/plain")
        var lines: [String] = []
        for try await line in stream.lines { lines.append(line) }
        #expect(lines == ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"])
    }

    @Test("cancelling the task that reads a stream ends it promptly and the server sees the connection close")
    func cancelMidStream() async throws {
        let server = try await TestServer()
        defer { server.stop() }
        let client = try makeClient()
        let stream = try await client.stream(HTTPRequest(url: server.url("/forever?key=cancel")))
        let reader = Task {
            await result { () async throws(HTTPError) in
                var count = 0
                for try await _ in stream.lines { count += 1 }
                return count
            }
        }
        try await Task.sleep(for: .milliseconds(300))
        let elapsed = await seconds {
            reader.cancel()
            #expect(await reader.value.failure?.kind == .cancelled)
        }
        // Without cancellation the stream never ends; 5 s leaves room for a loaded CI machine
        // (1 s failed there once at 1.13 s).
        #expect(elapsed < 5)
        #expect(try await eventually { try await server.report("/closed?key=cancel") == "true" })
    }

    @Test("letting go of a stream aborts its transfer")
    func droppedStream() async throws {
        let server = try await TestServer()
        defer { server.stop() }
        let client = try makeClient()
        do {
            let stream = try await client.stream(HTTPRequest(url: server.url("/forever?key=drop")))
            var iterator = stream.lines.makeAsyncIterator()
            #expect(try await iterator.next() == "tick 0")
        }
        #expect(try await eventually { try await server.report("/closed?key=drop") == "true" })
    }

    @Test("a stream slower than the low-speed limit is aborted as .timeout")
    func silentStream() async throws {
        let server = try await TestServer()
        defer { server.stop() }
        // curl averages the rate over the last 5 s, so a limit above the first line's bytes makes
        // the stream slow at once; with 1 byte/s the line would keep it "fast" for 5 s.
        let client = try makeClient { $0.streamLowSpeedLimit = .init(bytesPerSecond: 100, duration: .seconds(1)) }
        let stream = try await client.stream(HTTPRequest(url: server.url("/idle")))
        var lines: [String] = []
        var error: HTTPError?
        let elapsed = await seconds {
            error = await failure { () async throws(HTTPError) in
                for try await line in stream.lines { lines.append(line) }
            }
        }
        #expect(lines == ["hello"])
        #expect(error?.kind == .timeout)
        #expect(elapsed < 5)
    }

    @Test("a consumer slower than the server gets every line in order (the transfer pauses, nothing is lost)")
    func backpressure() async throws {
        let server = try await TestServer()
        defer { server.stop() }
        let client = try makeClient()
        let count = 30_000     // 3 MB of lines, beyond the 1 MiB the client buffers before pausing
        let stream = try await client.stream(HTTPRequest(url: server.url("/flood?lines=\(count)&size=100")))
        var received = 0
        for try await line in stream.lines {
            if received == 0 { try await Task.sleep(for: .milliseconds(300)) }     // let the buffer fill
            guard Int(line.prefix(8)) == received else { break }
            received += 1
        }
        #expect(received == count)
    }

    @Test("a line longer than maxLineLength fails the stream")
    func lineTooLong() async throws {
        let server = try await TestServer()
        defer { server.stop() }
        let client = try makeClient { $0.maxLineLength = 50 }
        let stream = try await client.stream(HTTPRequest(url: server.url("/flood?lines=3&size=100")))
        let error = await failure { () async throws(HTTPError) in for try await _ in stream.lines {} }
        #expect(error?.kind == .transfer)
        #expect(error?.message.contains("longer than 50 bytes") == true)
    }

    @Test("a stream's head answered 503 with Retry-After is retried before the stream is returned")
    func streamRetry() async throws {
        let server = try await TestServer()
        defer { server.stop() }
        let client = try makeClient()
        let stream = try await client.stream(HTTPRequest(url: server.url("/status?key=s&fail=1&retry_after=0")))
        #expect(stream.status == 200)
        var lines: [String] = []
        for try await line in stream.lines { lines.append(line) }
        #expect(lines == ["ok"])
        #expect(try await server.report("/attempts?key=s") == "2")
    }
}
