import TackHTTP

/// The events of one watch request, in order; ends when the server closes the stream
/// (`timeoutSeconds`), throws `KubeError` when the connection fails or a line is not an event.
public struct WatchStream: AsyncSequence, Sendable {
    public typealias Element = WatchEvent
    public typealias Failure = KubeError

    let stream: HTTPStream

    /// Stops the watch.
    public func cancel() {
        stream.cancel()
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(lines: stream.lines.makeAsyncIterator())
    }

    /// Reads events one by one.
    public struct Iterator: AsyncIteratorProtocol {
        public typealias Element = WatchEvent
        public typealias Failure = KubeError

        var lines: HTTPLines.Iterator

        public mutating func next() async throws(KubeError) -> WatchEvent? {
            try await next(isolation: nil)
        }

        public mutating func next(isolation actor: isolated (any Actor)?) async throws(KubeError) -> WatchEvent? {
            while true {
                let line: String?
                do {
                    line = try await lines.next(isolation: actor)
                } catch {
                    throw error.kind == .cancelled ? .cancelled : .transport(error)
                }
                guard let line else { return nil }
                if line.allSatisfy(\.isWhitespace) { continue }
                return try WatchEvent.decode(line)
            }
        }
    }
}
