import Foundation

/// The JSON of the controller's API, the same on both sides: keys are the Swift property names,
/// sorted; dates are ISO 8601 with fractional seconds (whole seconds are accepted too).
public enum APIJSON {
    /// An encoder of API payloads, compact.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(fractionalSeconds))
        }
        return encoder
    }

    /// A decoder of API payloads.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            if let date = try? fractionalSeconds.parse(text) { return date }
            if let date = try? wholeSeconds.parse(text) { return date }
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(text) is not an ISO 8601 date")
        }
        return decoder
    }

    static let fractionalSeconds = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    static let wholeSeconds = Date.ISO8601FormatStyle()
}
