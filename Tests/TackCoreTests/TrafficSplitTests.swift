import Foundation
import Testing

@testable import TackCore

@Suite("TrafficSplit and driver values")
struct TrafficSplitTests {
    @Test("a canary split gives stable the rest, clamps weights and drops zero tracks")
    func canarySplit() {
        #expect(TrafficSplit.canary(20).weights == [.stable: 80, .canary: 20])
        #expect(TrafficSplit.canary(0).weights == [.stable: 100])
        #expect(TrafficSplit.canary(150).weights == [.canary: 100])
        #expect(TrafficSplit([.stable: -5, .canary: 30])[.stable] == 0)
        #expect(TrafficSplit.canary(20).description == "stable=80 canary=20")
        #expect(TrafficSplit([:]).description == "none")
    }

    @Test("statuses round-trip through JSON with tracks as keys and images as text")
    func statusJSON() throws {
        let image = try ImageRef(parsing: "lora-train:v2@sha256:" + String(repeating: "ab", count: 32))
        let status = WorkloadStatus(
            app: "lora", tracks: [TrackStatus(track: .canary, image: image, desired: 1, updated: 1, ready: 1, available: 1)],
            traffic: .canary(20))
        let data = try JSONEncoder().encode(status)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""canary":20"#) && text.contains(#""lora-train:v2@sha256:abab"#))
        #expect(try JSONDecoder().decode(WorkloadStatus.self, from: data) == status)
        #expect(status[.canary]?.isRolledOut == true && status[.stable] == nil)
    }
}
