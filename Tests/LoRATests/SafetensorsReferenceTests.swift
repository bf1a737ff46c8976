import Foundation
import Testing
@testable import LoRA

/// Checks the reader against a file written by the Python `safetensors` package
/// (Fixtures/make_reference.py writes both the file and the values it must decode to).
@Suite("safetensors reference file")
struct SafetensorsReferenceTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    struct Expected: Decodable {
        struct Entry: Decodable {
            let shape: [Int]
            let hex: String
            let floatBits: [UInt32]?
            enum CodingKeys: String, CodingKey { case shape, hex, floatBits = "float_bits" }
        }
        let metadata: [String: String]
        let tensors: [String: Entry]
    }

    static func expected() throws -> Expected {
        try JSONDecoder().decode(Expected.self, from: Data(contentsOf: fixtures.appendingPathComponent("reference.json")))
    }

    static func hex(_ bytes: UnsafeRawBufferPointer) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    @Test("a file written by Python safetensors reads back with the same dtypes, shapes, bytes and metadata")
    func readsPythonFile() throws {
        let expected = try Self.expected()
        let file = try SafetensorsFile(path: Self.fixtures.appendingPathComponent("reference.safetensors").path)
        #expect(file.metadata == expected.metadata)
        #expect(Set(file.tensors.keys) == Set(expected.tensors.keys))
        let dtypes: [String: SafetensorsDType] = [
            "a.f32": .f32, "b.f16": .f16, "c.bf16": .bf16, "d.i64": .i64, "e.f64": .f64,
            "f.i32": .i32, "g.u8": .u8, "h.bool": .bool, "i.scalar": .f32, "j.empty": .f32,
        ]
        for (name, entry) in expected.tensors {
            let info = try file.info(name)
            #expect(info.dtype == dtypes[name], "\(name)")
            #expect(info.shape == entry.shape, "\(name)")
            #expect(try file.withBytes(of: name, Self.hex) == entry.hex, "\(name)")
        }
    }

    @Test("floats decodes Python's F32, F16, BF16 and F64 tensors to exactly the expected bit patterns")
    func decodesFloatsExactly() throws {
        let expected = try Self.expected()
        let file = try SafetensorsFile(path: Self.fixtures.appendingPathComponent("reference.safetensors").path)
        for (name, entry) in expected.tensors {
            guard let bits = entry.floatBits else { continue }
            #expect(try file.floats(name).map(\.bitPattern) == bits, "\(name)")
        }
    }

    @Test("rewriting the Python file's tensors reproduces its data buffer and tensor order byte for byte")
    func rewriteMatchesPythonLayout() throws {
        let reference = Self.fixtures.appendingPathComponent("reference.safetensors").path
        let file = try SafetensorsFile(path: reference)
        var tensors: [String: Tensor] = [:]
        for (name, info) in file.tensors {
            tensors[name] = Tensor(dtype: info.dtype, shape: info.shape, bytes: try file.withBytes(of: name) { Array($0) })
        }
        let directory = TemporaryDirectory()
        let path = directory.path + "/rewritten.safetensors"
        try SafetensorsWriter.write(tensors, metadata: file.metadata, to: path)
        let rewritten = try SafetensorsFile(path: path)
        #expect(rewritten.tensors == file.tensors)
        #expect(rewritten.names == file.names)
        let original = try Data(contentsOf: URL(fileURLWithPath: reference))
        let copy = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(original.suffix(117) == copy.suffix(117))
    }
}
