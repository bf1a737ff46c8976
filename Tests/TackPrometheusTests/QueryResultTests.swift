import TackPrometheus
import Testing

@Suite("query results")
struct QueryResultTests {
    @Test("NaN samples are kept as NaN, not dropped")
    func nan() {
        let sample = Sample(labels: ["app": "lora"], timestamp: 1, value: .nan)
        #expect(sample.value.isNaN)
        #expect(QueryResult.vector([sample]) != .vector([]))
    }
}
