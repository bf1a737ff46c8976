/// Cuts a byte stream into lines at `\n`, whatever the chunk boundaries: a line may span chunks
/// and a chunk may hold many lines. A `\r` before the `\n` is dropped, as is the newline.
struct LineSplitter {
    /// A line grew past the limit before its newline arrived.
    struct LineTooLong: Error {}

    /// The longest line, in bytes, before `LineTooLong`.
    let maxLineLength: Int
    private var partial: [UInt8] = []

    init(maxLineLength: Int) {
        self.maxLineLength = maxLineLength
    }

    /// Appends the complete lines in `chunk` to `lines` and keeps the unfinished rest.
    mutating func split(_ chunk: UnsafeRawBufferPointer, into lines: inout [String]) throws(LineTooLong) {
        var start = chunk.startIndex
        while let newline = chunk[start...].firstIndex(of: UInt8(ascii: "\n")) {
            let piece = UnsafeRawBufferPointer(rebasing: chunk[start..<newline])
            if partial.isEmpty {
                try lines.append(line(from: piece))
            } else {
                partial.append(contentsOf: piece)
                try lines.append(line(from: partial))
                partial.removeAll(keepingCapacity: true)
            }
            start = chunk.index(after: newline)
        }
        partial.append(contentsOf: chunk[start...])
        guard partial.count <= maxLineLength else { throw LineTooLong() }
    }

    /// The unfinished last line when the stream ends without a newline, if any.
    mutating func finish() -> String? {
        guard !partial.isEmpty else { return nil }
        defer { partial.removeAll() }
        return try? line(from: partial)
    }

    private func line(from bytes: some BidirectionalCollection<UInt8>) throws(LineTooLong) -> String {
        guard bytes.count <= maxLineLength + 1 else { throw LineTooLong() }
        if bytes.last == UInt8(ascii: "\r") {
            return String(decoding: bytes.dropLast(), as: UTF8.self)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
