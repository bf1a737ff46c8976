/// A response whose body arrives as lines: the head at once, each line as the server sends it.
public struct HTTPStream: Sendable {
    /// The response status.
    public let status: Int
    /// The response header fields.
    public let headers: HTTPHeaders
    /// The body's lines, for one consumer.
    public let lines: HTTPLines

    /// Aborts the transfer; the lines end with a `.cancelled` error.
    public func cancel() {
        lines.source.cancel()
    }
}

/// A streaming body's lines without their newlines: ends when the body ends, throws `HTTPError`
/// when the transfer fails. Cancelling the consuming task or dropping the sequence aborts it.
public struct HTTPLines: AsyncSequence, Sendable {
    public typealias Element = String
    public typealias Failure = HTTPError

    let source: LineSource

    /// An iterator over the lines; the sequence supports one.
    public func makeAsyncIterator() -> Iterator {
        Iterator(source: source)
    }

    /// Reads lines one by one.
    public struct Iterator: AsyncIteratorProtocol {
        public typealias Element = String
        public typealias Failure = HTTPError

        let source: LineSource

        /// The next line, or nil once the body ended.
        public mutating func next() async throws(HTTPError) -> String? {
            try await source.next()
        }

        /// The next line, or nil once the body ended.
        public mutating func next(isolation actor: isolated (any Actor)?) async throws(HTTPError) -> String? {
            try await source.next()
        }
    }
}
