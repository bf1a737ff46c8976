import Foundation
import Testing
@testable import LoRA

@Suite("safetensors round trip")
struct SafetensorsRoundTripTests {
    static let tensors: [String: Tensor] = [
        "weight.f32": Tensor([1, -2.5, 3.25, 0.1, -0.0, .infinity], shape: [2, 3]),
        "weight.f16": Tensor([1, -2, 65504, 0.5, 6.1035156e-05, 5.9604645e-08], shape: [3, 2], as: .f16),
        "weight.bf16": Tensor([1, -3.140625, 1e30, 0.0068969727], shape: [4], as: .bf16),
        "position_ids": Tensor(int64: [0, -1, Int64.max, Int64.min], shape: [1, 4]),
        "scalar": Tensor([42], shape: []),
        "empty": Tensor([], shape: [0, 3]),
    ]
    static let metadata = ["format": "pt", "ss_network_dim": "4", "note": "quote \" and é"]

    @Test("tensors and metadata written by the writer read back identically")
    func roundTrip() throws {
        let directory = TemporaryDirectory()
        let path = directory.path + "/adapter.safetensors"
        try SafetensorsWriter.write(Self.tensors, metadata: Self.metadata, to: path)
        let file = try SafetensorsFile(path: path)
        #expect(file.metadata == Self.metadata)
        #expect(Set(file.tensors.keys) == Set(Self.tensors.keys))
        for (name, tensor) in Self.tensors {
            let info = try file.info(name)
            #expect(info.dtype == tensor.dtype)
            #expect(info.shape == tensor.shape)
            #expect(try file.withBytes(of: name) { Array($0) } == tensor.bytes, "\(name)")
        }
        #expect(try file.floats("weight.f32").map(\.bitPattern)
            == [1, -2.5, 3.25, 0.1, -0.0, Float.infinity].map(\.bitPattern))
        #expect(try file.floats("weight.f16") == [1, -2, 65504, 0.5, 6.1035156e-05, 5.9604645e-08])
        #expect(try file.floats("weight.bf16") == [1, -3.140625, Float(1e30).nearestBFloat16, Float(0.0068969727).nearestBFloat16])
        #expect(try file.floats("scalar") == [42])
        #expect(try file.floats("empty") == [])
    }

    @Test("the header is padded with spaces to a multiple of 8 and lists exactly the expected offsets")
    func headerLayout() throws {
        let directory = TemporaryDirectory()
        let path = directory.path + "/adapter.safetensors"
        try SafetensorsWriter.write(Self.tensors, metadata: Self.metadata, to: path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let length = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect(length % 8 == 0)
        let header = bytes.subdata(in: 8..<(8 + length))
        let text = try #require(String(data: header, encoding: .utf8))
        let padding = text[text.index(after: try #require(text.lastIndex(of: "}")))...]
        #expect(padding.allSatisfy { $0 == " " } && padding.count < 8)
        let json = try #require(try JSONSerialization.jsonObject(with: header) as? [String: Any])
        #expect(json["__metadata__"] as? [String: String] == Self.metadata)
        func offsets(_ name: String) -> [Int]? { (json[name] as? [String: Any])?["data_offsets"] as? [Int] }
        // Descending dtype alignment, then name: I64, then F32 (empty, scalar, weight.f32), BF16, F16.
        #expect(offsets("position_ids") == [0, 32])
        #expect(offsets("empty") == [32, 32])
        #expect(offsets("scalar") == [32, 36])
        #expect(offsets("weight.f32") == [36, 60])
        #expect(offsets("weight.bf16") == [60, 68])
        #expect(offsets("weight.f16") == [68, 80])
        #expect(bytes.count == 8 + length + 80)
        #expect(json.count == 7)
    }

    @Test("a file written without metadata has no __metadata__ entry and reads back empty metadata")
    func noMetadata() throws {
        let directory = TemporaryDirectory()
        let path = directory.path + "/plain.safetensors"
        try SafetensorsWriter.write(["x": Tensor([1, 2], shape: [2])], to: path)
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        #expect(!text.contains("__metadata__"))
        #expect(try SafetensorsFile(path: path).metadata == [:])
    }

    @Test("writing replaces an existing file atomically and leaves no temporary file behind")
    func atomicReplace() throws {
        let directory = TemporaryDirectory()
        let path = directory.path + "/checkpoint.safetensors"
        try SafetensorsWriter.write(["x": Tensor([1], shape: [1])], to: path)
        try SafetensorsWriter.write(["x": Tensor([2, 3], shape: [2])], to: path)
        #expect(try SafetensorsFile(path: path).floats("x") == [2, 3])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["checkpoint.safetensors"])
    }

    @Test("the writer rejects a tensor whose bytes do not match its shape, and writes nothing")
    func writerRejectsMismatch() throws {
        let directory = TemporaryDirectory()
        let path = directory.path + "/bad.safetensors"
        let bad = Tensor(dtype: .f32, shape: [2, 2], bytes: [0, 0, 0, 0])
        #expect(throws: SafetensorsError.invalidInput(tensor: "w", reason: "shape [2, 2] of F32 needs 16 bytes, got 4")) {
            try SafetensorsWriter.write(["w": bad], to: path)
        }
        #expect(throws: SafetensorsError.invalidInput(tensor: "w", reason: "shape [-1] has a negative entry")) {
            try SafetensorsWriter.write(["w": Tensor(dtype: .u8, shape: [-1], bytes: [])], to: path)
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test("floats refuses integer tensors and names that are not in the file")
    func floatsRefusesIntegers() throws {
        let directory = TemporaryDirectory()
        let path = directory.path + "/ids.safetensors"
        try SafetensorsWriter.write(["ids": Tensor(int64: [1, 2], shape: [2])], to: path)
        let file = try SafetensorsFile(path: path)
        #expect(throws: SafetensorsError.notFloatingPoint(file: path, tensor: "ids", dtype: .i64)) { try file.floats("ids") }
        #expect(throws: SafetensorsError.noSuchTensor(file: path, tensor: "nope")) { try file.floats("nope") }
        #expect(SafetensorsError.notFloatingPoint(file: path, tensor: "ids", dtype: .i64).description
            == "\(path): tensor \"ids\" has dtype I64, which does not convert to Float")
    }
}

extension Float {
    /// The value rounded to bfloat16 precision, as the writer stores it.
    var nearestBFloat16: Float { FloatConversion.float(bfloat: FloatConversion.bfloat(from: self)) }
}
