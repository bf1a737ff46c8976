@testable import TackHTTP
import Testing

/// The pure parts of the client, without network: each a small state machine.
@Suite("HTTP client internals")
struct HTTPInternalsTests {
    @Test("lines are cut at newlines whatever the chunk boundaries, CRLF included")
    func lineSplitter() throws {
        var splitter = LineSplitter(maxLineLength: 100)
        var lines: [String] = []
        for chunk in ["al", "pha\nbe", "ta\r", "\ngamma\n\ndel", "ta"] {
            try Array(chunk.utf8).withUnsafeBytes { try splitter.split($0, into: &lines) }
        }
        #expect(lines == ["alpha", "beta", "gamma", ""])
        #expect(splitter.finish() == "delta")
        #expect(splitter.finish() == nil)
    }

    @Test("a line past the limit is refused even before its newline arrives")
    func lineLimit() {
        var splitter = LineSplitter(maxLineLength: 4)
        var lines: [String] = []
        #expect(throws: LineSplitter.LineTooLong.self) {
            try Array("abcdef".utf8).withUnsafeBytes { try splitter.split($0, into: &lines) }
        }
    }

    @Test("the response head skips 100 Continue and ignores trailers")
    func responseHead() {
        var parser = ResponseHeadParser()
        let lines = ["HTTP/1.1 100 Continue\r\n", "\r\n", "HTTP/1.1 503 Service Unavailable\r\n",
                     "Retry-After:  1 \r\n", "Content-Type: text/plain\r\n", "\r\n", "X-Trailer: t\r\n", "\r\n"]
        let heads = lines.compactMap { parser.consume(Array($0.utf8)) }
        #expect(heads == [ResponseHead(status: 503, headers: ["Retry-After": "1", "Content-Type": "text/plain"])])
    }

    @Test("retries: connection errors and integer Retry-After on 429/5xx, idempotent methods only, bounded")
    func retryDecisions() {
        let policy = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(200), maxDelay: .seconds(5), maxRetryAfter: .seconds(30))
        func decide(_ method: HTTPMethod, _ attempt: Int, _ outcome: AttemptOutcome, jitter: Double = 1) -> RetryDecision {
            policy.decision(method: method, attempt: attempt, outcome: outcome, jitter: jitter)
        }
        #expect(decide(.get, 1, .response(status: 503, retryAfter: "2")) == .retry(after: .seconds(2)))
        #expect(decide(.get, 1, .response(status: 429, retryAfter: "30")) == .retry(after: .seconds(30)))
        #expect(decide(.get, 1, .response(status: 503, retryAfter: "31")) == .finish)
        #expect(decide(.get, 1, .response(status: 503, retryAfter: nil)) == .finish)
        #expect(decide(.get, 1, .response(status: 503, retryAfter: "Wed, 21 Oct 2015 07:28:00 GMT")) == .finish)
        #expect(decide(.get, 1, .response(status: 503, retryAfter: "-1")) == .finish)
        #expect(decide(.get, 1, .response(status: 404, retryAfter: "1")) == .finish)
        #expect(decide(.get, 3, .response(status: 503, retryAfter: "1")) == .finish)
        #expect(decide(.post, 1, .response(status: 503, retryAfter: "1")) == .finish)
        #expect(decide(.patch, 1, .failure(isRetryable: true)) == .finish)
        #expect(decide(.put, 1, .failure(isRetryable: false)) == .finish)
        #expect(decide(.delete, 2, .failure(isRetryable: true)) == .retry(after: .milliseconds(400)))
        #expect(decide(.get, 1, .failure(isRetryable: true), jitter: 0.5) == .retry(after: .milliseconds(100)))
        #expect(decide(.get, 1, .response(status: 503, retryAfter: "0"), jitter: 0.5) == .retry(after: .milliseconds(100)))
    }

    @Test("backoff doubles from the base delay, scaled by a jitter of 0.5 to 1, up to the maximum")
    func backoff() {
        let policy = RetryPolicy(baseDelay: .milliseconds(200), maxDelay: .seconds(5))
        for (attempt, nominal) in [(1, 200), (2, 400), (3, 800), (6, 5000), (40, 5000)] {
            #expect(policy.backoff(afterAttempt: attempt, jitter: 1) == .milliseconds(nominal), "attempt \(attempt)")
            #expect(policy.backoff(afterAttempt: attempt, jitter: 0.5) == .milliseconds(nominal / 2), "attempt \(attempt)")
        }
        for _ in 0..<100 {
            #expect((0.5...1).contains(RetryPolicy.randomJitter()))
        }
    }

    @Test("a target names host and path but keeps the query, and serverName moves to CONNECT_TO")
    func requestTarget() throws {
        let request = HTTPRequest(url: "https://10.0.0.1:6443/api/v1/pods?watch=1&token=abcdefgh#frag",
                                  headers: ["Authorization": "Bearer sekrit-token"])
        let plain = try RequestTarget(request, serverName: nil)
        #expect(plain.authority == "10.0.0.1:6443" && plain.path == "/api/v1/pods")
        #expect(plain.curlURL == "https://10.0.0.1:6443/api/v1/pods?watch=1&token=abcdefgh")
        #expect(plain.connectTo == nil)
        let named = try RequestTarget(request, serverName: "kubernetes.default")
        #expect(named.curlURL == "https://kubernetes.default:6443/api/v1/pods?watch=1&token=abcdefgh")
        #expect(named.connectTo == "kubernetes.default::10.0.0.1:")
        #expect(named.authority == "10.0.0.1:6443")
        let message = named.redacted("failed: watch=1&token=abcdefgh, Bearer sekrit-token, sekrit-token")
        #expect(!message.contains("abcdefgh") && !message.contains("sekrit"))
        let v6 = try RequestTarget(HTTPRequest(url: "http://[::1]:8080"), serverName: "tack.test")
        #expect(v6.path == "/" && v6.connectTo == "tack.test::[::1]:" && v6.curlURL == "http://tack.test:8080")
    }

    @Test("a stream's buffer pauses the producer past its high-water mark and resumes it once drained")
    func lineChannelBackpressure() async throws {
        let channel = LineChannel(highWater: 100)
        #expect(!channel.shouldPause())
        channel.push(Array(repeating: String(repeating: "x", count: 19), count: 6))     // 120 bytes
        #expect(channel.shouldPause())
        var resumed = 0
        for _ in 0..<6 {
            let delivery = await channel.next()
            #expect(try delivery.result.get()?.count == 19)
            if delivery.resumesProducer { resumed += 1 }
        }
        #expect(resumed == 1)
        channel.finish(nil)
        #expect(try await channel.next().result.get() == nil)
        #expect(try await channel.next().result.get() == nil)
    }

    @Test("cancelling a stream drops buffered lines and ends it with .cancelled at once")
    func lineChannelCancel() async {
        let channel = LineChannel(highWater: 100)
        channel.push(["a", "b"])
        let error = HTTPError(.cancelled, method: .get, host: "h", path: "/", message: "cancelled")
        channel.cancel(error)
        channel.push(["c"])
        #expect(await channel.next().result.failure == error)
    }
}
