/// A response's status and header fields.
struct ResponseHead: Sendable, Equatable {
    var status: Int
    var headers: HTTPHeaders
}

/// Builds the final response head from the header lines curl hands over one at a time: the status
/// line, the fields, and an empty line. Interim heads (100 Continue) are dropped, and lines after
/// the final head (trailers) are ignored.
struct ResponseHeadParser {
    private(set) var head: ResponseHead?
    private var status: Int?
    private var headers = HTTPHeaders()

    /// Takes one line with or without its CRLF; returns the head when this line completes it.
    mutating func consume(_ line: some BidirectionalCollection<UInt8>) -> ResponseHead? {
        guard head == nil else { return nil }
        var end = line.endIndex
        while end > line.startIndex, [UInt8(ascii: "\n"), UInt8(ascii: "\r")].contains(line[line.index(before: end)]) {
            end = line.index(before: end)
        }
        let text = String(decoding: line[..<end], as: UTF8.self)

        if text.isEmpty {
            guard let status else { return nil }
            if (100..<200).contains(status) && status != 101 {
                self.status = nil
                headers = HTTPHeaders()
                return nil
            }
            head = ResponseHead(status: status, headers: headers)
            return head
        }
        if text.hasPrefix("HTTP/") {
            let parts = text.split(separator: " ", maxSplits: 2)
            status = parts.count >= 2 ? Int(parts[1]) : nil
            headers = HTTPHeaders()
            return nil
        }
        if status != nil, let colon = text.firstIndex(of: ":") {
            let name = text[..<colon].trimmingWhitespace()
            let value = text[text.index(after: colon)...].trimmingWhitespace()
            if !name.isEmpty { headers.add(name: name, value: value) }
        }
        return nil
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    func trimmingWhitespace() -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isBlank($0) }), let end = lastIndex(where: { !isBlank($0) }) else { return "" }
        return String(self[start...end])
    }
}
