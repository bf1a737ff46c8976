import Foundation

/// Reads sentence pairs from a CSV file with a header row naming `anchor` and `positive` columns
/// (in any order; other columns are ignored).
public enum PairsCSV {
    /// The columns a pairs file must have.
    public static let requiredColumns = ["anchor", "positive"]

    /// The pairs in the CSV file at `path`, in file order.
    public static func read(path: String) throws(LoRAError) -> [SentencePair] {
        let bytes: [UInt8]
        do { bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) } catch {
            throw .cannotRead(path: path, reason: (error as NSError).localizedDescription)
        }
        return try parse(bytes, path: path)
    }

    /// The pairs in CSV `bytes` that came from `path` (named in errors), in order; a malformed record,
    /// or an empty anchor or positive, is an error at the line the record starts on.
    public static func parse(_ bytes: [UInt8], path: String) throws(LoRAError) -> [SentencePair] {
        var reader = CSVRecordReader(bytes, path: path)
        guard let header = try reader.next() else {
            throw .invalidData(path: path, line: 0, reason: "the file is empty; expected a header row with anchor and positive columns")
        }
        let columns = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        let missing = requiredColumns.filter { !columns.contains($0) }
        guard missing.isEmpty else {
            let names = missing.map { "\"\($0)\"" }.joined(separator: " or ")
            throw .invalidData(path: path, line: header.line, reason: "the header has no \(names) column; "
                               + "its columns are: \(columns.map { $0.isEmpty ? "\"\"" : $0 }.listedForMessage)")
        }
        for name in requiredColumns where columns.filter({ $0 == name }).count > 1 {
            throw .invalidData(path: path, line: header.line, reason: "the header has more than one \"\(name)\" column")
        }
        let anchor = columns.firstIndex(of: "anchor")!, positive = columns.firstIndex(of: "positive")!
        var pairs: [SentencePair] = []
        while let record = try reader.next() {
            guard record.fields.count == columns.count else {
                let reason = record.fields == [""]
                    ? "the line is blank; every record needs \(columns.count) fields"
                    : "the record has \(record.fields.count) field\(record.fields.count == 1 ? "" : "s"); the header has \(columns.count)"
                throw .invalidData(path: path, line: record.line, reason: reason)
            }
            for (column, name) in [(anchor, "anchor"), (positive, "positive")]
            where record.fields[column].allSatisfy(\.isWhitespace) {
                throw .invalidData(path: path, line: record.line, reason: "the \(name) is empty")
            }
            pairs.append(SentencePair(anchor: record.fields[anchor], positive: record.fields[positive]))
        }
        return pairs
    }
}

extension Array where Element == String {
    /// The names joined with commas, at most 12 and then how many more.
    fileprivate var listedForMessage: String {
        count <= 12 ? joined(separator: ", ") : prefix(12).joined(separator: ", ") + " and \(count - 12) more"
    }
}
