/// Splits RFC 4180 CSV bytes into records: fields separated by commas, records by CRLF, LF or CR,
/// quoted fields with `""` for a quote and commas and line breaks kept; a UTF-8 BOM is skipped and
/// blank lines at the end are ignored.
struct CSVRecordReader {
    /// One record and the 1-based line it starts on.
    struct Record {
        var fields: [String]
        var line: Int
    }

    private let bytes: [UInt8]
    private let path: String
    private var index: Int
    private var line = 1

    private static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")

    /// A reader of `bytes` that came from `path` (named in errors).
    init(_ bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.path = path
        index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    /// The next record, or nil when only blank lines are left.
    mutating func next() throws(LoRAError) -> Record? {
        guard bytes[index...].contains(where: { $0 != Self.cr && $0 != Self.lf }) else { return nil }
        let start = line
        var fields: [String] = []
        var field: [UInt8] = []
        var isQuoted = false
        var atFieldStart = true
        func finishField() throws(LoRAError) {
            guard let text = String(validating: field, as: UTF8.self) else {
                throw .invalidData(path: path, line: start, reason: "field \(fields.count + 1) is not valid UTF-8 text")
            }
            fields.append(text)
            field = []
            atFieldStart = true
        }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if isQuoted {
                guard byte == Self.quote else {
                    if byte == Self.lf { line += 1 }
                    field.append(byte)
                    continue
                }
                if index < bytes.count, bytes[index] == Self.quote {
                    field.append(Self.quote)
                    index += 1
                    continue
                }
                isQuoted = false
                if index < bytes.count, ![Self.comma, Self.cr, Self.lf].contains(bytes[index]) {
                    throw .invalidData(path: path, line: line, reason: "text follows the closing quote of field "
                                       + "\(fields.count + 1); write a quote inside a quoted field as \"\"")
                }
                continue
            }
            switch byte {
            case Self.comma:
                try finishField()
            case Self.quote where atFieldStart:
                isQuoted = true
                atFieldStart = false
            case Self.cr, Self.lf:
                if byte == Self.cr, index < bytes.count, bytes[index] == Self.lf { index += 1 }
                line += 1
                try finishField()
                return Record(fields: fields, line: start)
            default:
                field.append(byte)
                atFieldStart = false
            }
        }
        guard !isQuoted else {
            throw .invalidData(path: path, line: start, reason: "a quoted field is never closed; the file ends inside it")
        }
        try finishField()
        return Record(fields: fields, line: start)
    }
}
