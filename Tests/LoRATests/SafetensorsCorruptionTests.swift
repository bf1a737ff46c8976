import Testing
@testable import LoRA

/// Every malformed file is refused at open with a sentence naming the file, the tensor and the fault.
@Suite("safetensors corruption")
struct SafetensorsCorruptionTests {
    /// A malformed file and the message opening it must fail with (after "<path>: ").
    struct Corruption: Sendable, CustomTestStringConvertible {
        let label: String
        let bytes: [UInt8]
        let message: String
        var testDescription: String { label }

        /// A file whose header is `header` (prefixed with its length) followed by `data`.
        init(_ label: String, header: String, data: [UInt8] = [], message: String) {
            var bytes: [UInt8] = []
            withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
            self.init(label, bytes: bytes + Array(header.utf8) + data, message: message)
        }

        init(_ label: String, bytes: [UInt8], message: String) {
            self.label = label
            self.bytes = bytes
            self.message = message
        }
    }

    static let f32x2 = #"{"dtype":"F32","shape":[2],"data_offsets":[0,8]}"#
    static let corruptions: [Corruption] = [
        Corruption("empty file", bytes: [],
                   message: "not a safetensors file: 0 bytes, shorter than the 8-byte header length"),
        Corruption("1-byte file", bytes: [7],
                   message: "not a safetensors file: 1 bytes, shorter than the 8-byte header length"),
        Corruption("header length 2^63", bytes: [0, 0, 0, 0, 0, 0, 0, 0x80] + Array("{}".utf8),
                   message: "header length 9223372036854775808 is larger than the 100000000-byte limit"),
        Corruption("header length past the end of the file", bytes: [100, 0, 0, 0, 0, 0, 0, 0] + Array("{}".utf8),
                   message: "header length 100 is larger than the 10-byte file"),
        Corruption("header not JSON", header: #"{"a": ?}"#,
                   message: "invalid safetensors header: header is not valid JSON: unexpected character at byte 6"),
        Corruption("header JSON cut short", header: #"{"a":{"dtype":"F32""#,
                   message: "invalid safetensors header: header is not valid JSON: expected ',' or '}' at byte 19"),
        Corruption("header an array", header: "[1, 2]",
                   message: "invalid safetensors header: header is an array, not an object"),
        Corruption("header invalid UTF-8", bytes: [6, 0, 0, 0, 0, 0, 0, 0] + [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x7D],
                   message: "invalid safetensors header: header is not valid UTF-8"),
        Corruption("metadata value not a string", header: #"{"__metadata__":{"format":1}}"#,
                   message: "invalid safetensors header: \"__metadata__\" key \"format\" is a number, not a string"),
        Corruption("unknown dtype", header: #"{"w":{"dtype":"F99","shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0],
                   message: "tensor \"w\": unknown dtype \"F99\""),
        Corruption("negative shape", header: #"{"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,0]}}"#,
                   message: "tensor \"w\": shape entry -2 is negative"),
        Corruption("fractional shape", header: #"{"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}"#,
                   message: "tensor \"w\": shape entry 1.5 is not an integer"),
        Corruption("shape overflowing Int", header: #"{"w":{"dtype":"U8","shape":[4294967296,4294967296,4],"data_offsets":[0,0]}}"#,
                   message: "tensor \"w\": shape [4294967296, 4294967296, 4] overflows the element count"),
        Corruption("offset beyond 64 bits", header: #"{"w":{"dtype":"U8","shape":[0],"data_offsets":[0,99999999999999999999]}}"#,
                   message: "tensor \"w\": data_offsets end 99999999999999999999 is too large"),
        Corruption("data_offsets not a pair", header: #"{"w":{"dtype":"U8","shape":[1],"data_offsets":[0]}}"#, data: [1],
                   message: "tensor \"w\": \"data_offsets\" is not [begin, end]"),
        Corruption("data_offsets missing", header: #"{"w":{"dtype":"U8","shape":[1]}}"#, data: [1],
                   message: "tensor \"w\": missing \"data_offsets\""),
        Corruption("begin after end", header: #"{"w":{"dtype":"U8","shape":[1],"data_offsets":[4,3]}}"#, data: [1, 2, 3, 4],
                   message: "tensor \"w\": data_offsets [4, 3] has begin after end"),
        Corruption("shape and offsets disagree", header: #"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#,
                   data: Array(repeating: 0, count: 8),
                   message: "tensor \"w\": data_offsets [0, 8] span 8 bytes but shape [3] of F32 needs 12"),
        Corruption("truncated data buffer", header: #"{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#,
                   data: Array(repeating: 0, count: 8),
                   message: "tensor \"w\": data_offsets [0, 16] go beyond the 8-byte data buffer (truncated file?)"),
        Corruption("overlapping tensors",
                   header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#,
                   data: Array(repeating: 0, count: 12),
                   message: "tensor \"b\": data_offsets [4, 12] overlap tensor \"a\", which ends at 8"),
        Corruption("hole between tensors",
                   header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#,
                   data: Array(repeating: 0, count: 12),
                   message: "tensor \"b\": data_offsets [8, 12] leave a hole: bytes 4..<8 belong to no tensor"),
        Corruption("trailing bytes", header: #"{"a":"# + f32x2 + "}", data: Array(repeating: 0, count: 12),
                   message: "data buffer does not match the header: tensors cover 8 bytes but the data buffer holds 12; "
                       + "4 trailing bytes belong to no tensor"),
        Corruption("duplicate tensor", header: #"{"a":"# + f32x2 + #","a":"# + f32x2 + "}", data: Array(repeating: 0, count: 8),
                   message: "tensor \"a\": appears twice in the header"),
    ]

    @Test("a malformed file is refused with a clear error", arguments: corruptions)
    func refused(_ corruption: Corruption) {
        let directory = TemporaryDirectory()
        let path = directory.file("corrupt.safetensors", bytes: corruption.bytes)
        let error = TemporaryDirectory.openError(path)
        #expect(error?.description == "\(path): \(corruption.message)")
    }

    @Test("a missing file is refused with the system's reason")
    func missingFile() {
        #expect(TemporaryDirectory.openError("/nonexistent/x.safetensors")?.description
            == "/nonexistent/x.safetensors: cannot open safetensors file: No such file or directory")
    }

    @Test("a header padded with spaces, an empty header object and zero-size tensors are accepted")
    func edgeCasesAccepted() throws {
        let directory = TemporaryDirectory()
        let empty = directory.safetensors("empty.safetensors", header: "{}      ", data: [])
        #expect(try SafetensorsFile(path: empty).tensors.isEmpty)
        let zero = directory.safetensors(
            "zero.safetensors",
            header: #" {"z":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},"a":"# + Self.f32x2 + "}  ",
            data: Array(repeating: 0, count: 8))
        let file = try SafetensorsFile(path: zero)
        #expect(file.names == ["z", "a"])
        #expect(try file.floats("z") == [])
    }
}
