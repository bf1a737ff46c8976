import Foundation
import Testing
@testable import LoRAService

/// The embed answer written by hand reads back as the same values JSONEncoder would give.
@Suite("embed answer")
struct EmbedAnswerTests {
    struct Decoded: Decodable, Equatable {
        let model: String
        let adapter: String?
        let dimensions: Int
        let embeddings: [[Float]]
    }

    @Test("every Float reads back exactly; keys are sorted; the adapter is null or a quoted string", arguments: [nil, "job \"7\"\\n"])
    func roundTrip(adapter: String?) throws {
        let vectors: [[Float]] = [[0, -0.5, 1e-7, 0.123_456_79, -3.402_823_5e38], [Float.leastNonzeroMagnitude, 1, 2, 3, 4]]
        let answer = EmbedAnswer(model: "mini\"LM\u{1}", adapter: adapter, dimensions: 5, embeddings: vectors)
        let json = try #require(answer.json)
        let decoded = try JSONDecoder().decode(Decoded.self, from: Data(json.utf8))
        #expect(decoded == Decoded(model: "mini\"LM\u{1}", adapter: adapter, dimensions: 5, embeddings: vectors))
        let keys = ["\"adapter\":", "\"dimensions\":", "\"embeddings\":", "\"model\":"].map { json.range(of: $0)!.lowerBound }
        #expect(keys == keys.sorted())
        #expect(try JSONSerialization.jsonObject(with: Data(json.utf8)) is [String: Any])
    }

    @Test("a non-finite value gives no body and a 500")
    func nonFinite() {
        let answer = EmbedAnswer(model: "m", adapter: nil, dimensions: 2, embeddings: [[1, .nan]])
        #expect(answer.json == nil)
        #expect(throws: APIError.self) { try answer.response() }
    }
}
