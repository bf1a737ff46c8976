extension RandomGenerator {
    /// The four words of a xoshiro256** state, stored in JSON as 16-digit hexadecimal strings
    /// so that no JSON reader rounds them.
    public struct State: Sendable, Equatable, Codable {
        /// The first word.
        public var s0: UInt64
        /// The second word.
        public var s1: UInt64
        /// The third word.
        public var s2: UInt64
        /// The fourth word.
        public var s3: UInt64

        /// The state of the given words.
        public init(_ s0: UInt64, _ s1: UInt64, _ s2: UInt64, _ s3: UInt64) {
            self.s0 = s0
            self.s1 = s1
            self.s2 = s2
            self.s3 = s3
        }

        /// Whether a generator can run from this state (not all words zero).
        public var isValid: Bool { s0 | s1 | s2 | s3 != 0 }

        public init(from decoder: any Swift.Decoder) throws {
            var container = try decoder.unkeyedContainer()
            var words: [UInt64] = []
            while !container.isAtEnd {
                let text = try container.decode(String.self)
                guard text.utf8.count == 16, let word = UInt64(text, radix: 16) else {
                    throw DecodingError.dataCorruptedError(
                        in: container, debugDescription: "\"\(text)\" is not 16 hexadecimal digits")
                }
                words.append(word)
            }
            guard words.count == 4 else {
                throw DecodingError.dataCorrupted(.init(
                    codingPath: decoder.codingPath, debugDescription: "expected 4 state words, got \(words.count)"))
            }
            self.init(words[0], words[1], words[2], words[3])
        }

        public func encode(to encoder: any Swift.Encoder) throws {
            var container = encoder.unkeyedContainer()
            for word in [s0, s1, s2, s3] {
                let digits = String(word, radix: 16)
                try container.encode(String(repeating: "0", count: 16 - digits.count) + digits)
            }
        }
    }
}
