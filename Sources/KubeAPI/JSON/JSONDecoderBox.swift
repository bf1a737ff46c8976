import Foundation

/// Foundation's JSON decoding for the module, in one place.
enum JSONDecoderBox {
    static func decode<Value: Decodable>(_ type: Value.Type, from bytes: [UInt8]) throws -> Value {
        try JSONDecoder().decode(type, from: Data(bytes))
    }
}
