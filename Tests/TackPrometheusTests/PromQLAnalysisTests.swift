import TackCore
import Testing

@Suite("PromQL for analysis")
struct PromQLAnalysisTests {
    @Test("the traffic check is the increase of the track's request counter over the window")
    func requests() {
        let selector = TrackSelector(app: "lora", account: "local", track: .canary, version: "v2")
        #expect(PromQL.requests(selector, window: "1m")
            == #"sum(increase(lora_http_requests_total{app="lora",account="local",track="canary",version="v2"}[1m]))"#)
    }

    @Test("windows are written as PromQL durations", arguments: [
        (Duration.seconds(60), "1m"), (.seconds(90), "90s"), (.seconds(7200), "2h"), (.milliseconds(1500), "1500ms"),
        (.seconds(5), "5s"), (.zero, "1ms"),
    ])
    func duration(_ duration: Duration, _ text: String) {
        #expect(PromQL.duration(duration) == text)
    }
}
