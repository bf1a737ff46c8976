/// A validated safetensors header: every tensor's place in the data buffer, and the metadata.
struct SafetensorsHeader {
    /// The tensors by name.
    let tensors: [String: TensorInfo]
    /// The `__metadata__` map, empty when absent.
    let metadata: [String: String]
    /// The size of the data buffer the header was validated against.
    let bufferLength: Int

    /// Parses and validates `bytes` (the header after the length prefix) against a data buffer of
    /// `bufferLength` bytes, as the Rust crate's `Metadata::validate` does: offsets must tile the
    /// buffer from 0 to its end, contiguously, each range matching shape × dtype size.
    init(bytes: [UInt8], bufferLength: Int, file: String) throws(SafetensorsError) {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw .invalidHeader(file: file, reason: "header is not valid UTF-8")
        }
        let root: JSONValue
        do {
            root = try JSONParser.parse(bytes)
        } catch {
            throw .invalidHeader(file: file, reason: "header is not valid JSON: \(error.description)")
        }
        guard case let .object(members) = root else {
            throw .invalidHeader(file: file, reason: "header is \(root.kind), not an object")
        }
        var tensors: [String: TensorInfo] = [:]
        var metadata: [String: String]?
        for member in members {
            let name = member.key, value = member.value
            if name == "__metadata__" {
                guard metadata == nil else { throw .invalidHeader(file: file, reason: "duplicate \"__metadata__\"") }
                metadata = try Self.metadata(value, file: file)
                continue
            }
            guard tensors[name] == nil else {
                throw .invalidTensor(file: file, tensor: name, reason: "appears twice in the header")
            }
            tensors[name] = try Self.tensor(value, name: name, file: file)
        }
        try Self.checkTiling(tensors, bufferLength: bufferLength, file: file)
        self.tensors = tensors
        self.metadata = metadata ?? [:]
        self.bufferLength = bufferLength
    }

    private static func metadata(_ value: JSONValue, file: String) throws(SafetensorsError) -> [String: String] {
        guard case let .object(members) = value else {
            throw .invalidHeader(file: file, reason: "\"__metadata__\" is \(value.kind), not an object of strings")
        }
        var metadata: [String: String] = [:]
        for member in members {
            let key = member.key, entry = member.value
            guard case let .string(string) = entry else {
                throw .invalidHeader(file: file, reason: "\"__metadata__\" key \"\(key)\" is \(entry.kind), not a string")
            }
            guard metadata.updateValue(string, forKey: key) == nil else {
                throw .invalidHeader(file: file, reason: "\"__metadata__\" key \"\(key)\" appears twice")
            }
        }
        return metadata
    }

    private static func tensor(_ value: JSONValue, name: String, file: String) throws(SafetensorsError) -> TensorInfo {
        func invalid(_ reason: String) -> SafetensorsError { .invalidTensor(file: file, tensor: name, reason: reason) }
        guard case let .object(members) = value else { throw invalid("entry is \(value.kind), not an object") }
        func field(_ key: String) throws(SafetensorsError) -> JSONValue {
            let matches = members.filter { $0.key == key }
            guard matches.count == 1 else { throw invalid(matches.isEmpty ? "missing \"\(key)\"" : "\"\(key)\" appears twice") }
            return matches[0].value
        }
        guard case let .string(dtypeName) = try field("dtype") else { throw invalid("\"dtype\" is not a string") }
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else { throw invalid("unknown dtype \"\(dtypeName)\"") }

        guard case let .array(shapeValues) = try field("shape") else { throw invalid("\"shape\" is not an array") }
        var shape: [Int] = []
        var elementCount = 1
        for entry in shapeValues { shape.append(try integer(entry, what: "shape entry", invalid: invalid)) }
        for dimension in shape {
            let (product, overflow) = elementCount.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw invalid("shape \(shape) overflows the element count") }
            elementCount = product
        }

        guard case let .array(offsetValues) = try field("data_offsets"), offsetValues.count == 2 else {
            throw invalid("\"data_offsets\" is not [begin, end]")
        }
        let begin = try integer(offsetValues[0], what: "data_offsets begin", invalid: invalid)
        let end = try integer(offsetValues[1], what: "data_offsets end", invalid: invalid)
        guard begin <= end else { throw invalid("data_offsets [\(begin), \(end)] has begin after end") }

        let (byteCount, overflow) = elementCount.multipliedReportingOverflow(by: dtype.size)
        guard !overflow else { throw invalid("shape \(shape) of \(dtype.rawValue) overflows the byte count") }
        guard end - begin == byteCount else {
            throw invalid("data_offsets [\(begin), \(end)] span \(end - begin) bytes but shape \(shape) of "
                + "\(dtype.rawValue) needs \(byteCount)")
        }
        return TensorInfo(dtype: dtype, shape: shape, byteRange: begin..<end)
    }

    /// Reads a non-negative integer that fits in Int.
    private static func integer(
        _ value: JSONValue, what: String, invalid: (String) -> SafetensorsError
    ) throws(SafetensorsError) -> Int {
        guard case let .number(text) = value else { throw invalid("\(what) is \(value.kind), not an integer") }
        if text.hasPrefix("-") {
            throw invalid(Int(text) == nil ? "\(what) \(text) is not an integer" : "\(what) \(text) is negative")
        }
        guard let integer = Int(text) else {
            let isFraction = text.contains { $0 == "." || $0 == "e" || $0 == "E" }
            throw invalid(isFraction ? "\(what) \(text) is not an integer" : "\(what) \(text) is too large")
        }
        return integer
    }

    /// Checks that the tensors, in offset order, cover `0..<bufferLength` with no hole or overlap.
    private static func checkTiling(
        _ tensors: [String: TensorInfo], bufferLength: Int, file: String
    ) throws(SafetensorsError) {
        let ordered = tensors.sorted {
            ($0.value.byteRange.lowerBound, $0.value.byteRange.upperBound, $0.key)
                < ($1.value.byteRange.lowerBound, $1.value.byteRange.upperBound, $1.key)
        }
        var covered = 0
        var previous: String?
        for (name, info) in ordered {
            let range = info.byteRange
            if range.lowerBound > covered {
                throw .invalidTensor(file: file, tensor: name, reason: "data_offsets [\(range.lowerBound), "
                    + "\(range.upperBound)] leave a hole: bytes \(covered)..<\(range.lowerBound) belong to no tensor")
            }
            if range.lowerBound < covered, let previous {
                throw .invalidTensor(file: file, tensor: name, reason: "data_offsets [\(range.lowerBound), "
                    + "\(range.upperBound)] overlap tensor \"\(previous)\", which ends at \(covered)")
            }
            if range.upperBound > bufferLength {
                throw .invalidTensor(file: file, tensor: name, reason: "data_offsets [\(range.lowerBound), "
                    + "\(range.upperBound)] go beyond the \(bufferLength)-byte data buffer (truncated file?)")
            }
            covered = range.upperBound
            previous = name
        }
        guard covered == bufferLength else {
            throw .incompleteBuffer(file: file, reason: "tensors cover \(covered) bytes but the data buffer "
                + "holds \(bufferLength); \(bufferLength - covered) trailing bytes belong to no tensor")
        }
    }
}
