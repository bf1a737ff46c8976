import TackCore
import Testing

@Suite("PromQL")
struct PromQLTests {
    let selector = TrackSelector(app: "lora", account: "aws-eu-central-1", track: .canary, version: "v1.2")

    @Test("the standard error rate is the 5xx share of the track's requests over the window")
    func errorRate() {
        #expect(PromQL.errorRate(selector, window: "1m") ==
            #"sum(rate(lora_http_requests_total{code=~"5..",app="lora",account="aws-eu-central-1",track="canary",version="v1.2"}[1m]))"#
            + #" / sum(rate(lora_http_requests_total{app="lora",account="aws-eu-central-1",track="canary",version="v1.2"}[1m]))"#)
    }

    @Test("latency is a histogram quantile of the track's request durations")
    func latency() {
        #expect(PromQL.latency(quantile: 0.95, selector, window: "30s") ==
            #"histogram_quantile(0.95, sum by (le) (rate(lora_http_request_duration_seconds_bucket{app="lora",account="aws-eu-central-1",track="canary",version="v1.2"}[30s])))"#)
    }

    @Test("a template's placeholders are replaced, spaces inside braces allowed, unknown ones left as written")
    func expand() {
        let template = #"max(q{app="{{app}}", a="{{ account }}", t="{{track}}", v="{{version}}"}[{{window}}]) + {{other}}"#
        #expect(PromQL.expand(template, selector, window: "2m")
            == #"max(q{app="lora", a="aws-eu-central-1", t="canary", v="v1.2"}[2m]) + {{other}}"#)
    }

    @Test("label values are escaped for double-quoted PromQL strings")
    func escaping() {
        let odd = TrackSelector(app: #"a"b\c"#, account: "x\ny", track: .stable, version: "v")
        #expect(odd.matchers == #"app="a\"b\\c",account="x\ny",track="stable",version="v""#)
    }

    @Test("placeholders are found with their offsets, and an unclosed {{ is located", arguments: [
        ("", [], nil), ("{{", [], 0), ("a{{b", [], 1), ("{{app}}", ["app"], nil), ("x{{ window }}y{{z", ["window"], 14),
    ] as [(String, [String], Int?)])
    func scan(_ template: String, _ names: [String], _ unclosedAt: Int?) {
        let (found, unclosed) = PromQL.placeholders(in: template)
        #expect(found.map(\.name) == names)
        #expect(unclosed == unclosedAt)
    }
}
