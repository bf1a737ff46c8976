import KubeAPI
import Testing

@Suite("JSONValue")
struct JSONValueTests {
    @Test("integers, Booleans and nested members survive a round trip")
    func roundTrip() throws {
        let value: JSONValue = ["metadata": ["name": "web", "generation": 3], "spec": ["paused": false, "ratio": 0.5, "list": [1, "a", nil]]]
        let parsed = try JSONValue.parse(value.jsonBytes)
        #expect(parsed == value)
        #expect(parsed.name == "web")
        #expect(parsed.generation == 3)
        #expect(parsed[path: ["spec", "paused"]]?.bool == false)
        #expect(parsed[path: ["spec", "list"]]?.array?.count == 3)
    }

    @Test("a text that is not JSON is a decoding error that does not quote it")
    func notJSON() {
        #expect(throws: KubeError.self) { try JSONValue.parse(Array("token=secret{".utf8)) }
        do {
            _ = try JSONValue.parse(Array("token=secret{".utf8))
        } catch {
            #expect(!error.description.contains("secret"))
        }
    }
}
