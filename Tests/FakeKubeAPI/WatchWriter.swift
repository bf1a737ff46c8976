import Hummingbird

/// Writes one watch as a chunked body: queued event lines cut into chunks as the options say, a
/// clean finish at `timeoutSeconds`, periodic bookmarks, and an abrupt cut when tests drop watches.
struct WatchWriter: Sendable {
    let core: ClusterCore
    let session: WatchSession

    /// The response body.
    var body: ResponseBody {
        ResponseBody { writer in
            let (core, subscription) = (self.core, session.subscription)
            let timer = session.timeout.map { timeout in
                Task {
                    try await Task.sleep(for: timeout)
                    subscription.finish(.clean)
                }
            }
            let bookmarks = session.bookmarkInterval.map { interval in
                Task {
                    while true {
                        try await Task.sleep(for: interval)
                        guard core.sendBookmark(toWatch: subscription.id) else { return }
                    }
                }
            }
            defer {
                timer?.cancel()
                bookmarks?.cancel()
                core.unsubscribe(subscription.id)
            }
            while true {
                switch await subscription.next() {
                case .lines(let lines):
                    try await write(lines, to: &writer)
                case .end(.clean):
                    try await writer.finish(nil)
                    return
                case .end(.abrupt):
                    throw ConnectionDropped()
                }
            }
        }
    }

    /// Writes event lines as the chunking option says.
    private func write(_ lines: [[UInt8]], to writer: inout any ResponseBodyWriter) async throws {
        switch session.chunking {
        case .eventPerChunk:
            for line in lines { try await writer.write(ByteBuffer(bytes: line)) }
        case .splitEvents(let pieces, let pause):
            for line in lines {
                for piece in Self.cut(line, into: pieces) {
                    try await writer.write(ByteBuffer(bytes: piece))
                    try await Task.sleep(for: pause)
                }
            }
        case .coalesced(let window):
            try await Task.sleep(for: window)
            let all = lines + session.subscription.takeQueued()
            try await writer.write(ByteBuffer(bytes: all.joined()))
        case .scattered(let pieceSize, let pause):
            let bytes = Array((lines + session.subscription.takeQueued()).joined())
            for start in stride(from: 0, to: bytes.count, by: max(pieceSize, 1)) {
                try await writer.write(ByteBuffer(bytes: bytes[start..<min(start + max(pieceSize, 1), bytes.count)]))
                try await Task.sleep(for: pause)
            }
        }
    }

    /// `line` cut into `pieces` parts of about equal size (at least one byte each).
    static func cut(_ line: [UInt8], into pieces: Int) -> [ArraySlice<UInt8>] {
        let count = min(max(pieces, 1), line.count)
        let size = line.count / max(count, 1)
        return (0..<count).map { index in
            let start = index * size
            let end = index == count - 1 ? line.count : start + size
            return line[start..<end]
        }
    }
}
