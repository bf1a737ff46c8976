import Foundation
import TackHTTP

/// A stand-in Prometheus answering form-encoded queries by what they ask: a track's traffic
/// (`sum(increase(…))`) or its metric value, told apart by the `track` label.
struct FakePrometheus: Sendable {
    /// What one query answers.
    enum Reply: Sendable {
        case number(Double)
        case noSeries
        case series(Int)
        case scalar(Double)
        case matrix
        case badData
        case down
    }

    var canaryTraffic: Reply = .number(100)
    var canaryValue: Reply = .number(0)
    var stableTraffic: Reply = .number(100)
    var stableValue: Reply = .number(0)

    /// A transport answering as this Prometheus.
    func transport() -> RecordingTransport {
        RecordingTransport { request in
            let query = request.form["query"] ?? ""
            let isStable = query.contains(#"track="stable""#)
            let isTraffic = query.hasPrefix("sum(increase(")
            let reply = switch (isStable, isTraffic) {
            case (false, true): canaryTraffic
            case (false, false): canaryValue
            case (true, true): stableTraffic
            case (true, false): stableValue
            }
            return Self.answer(reply, request)
        }
    }

    static func answer(_ reply: Reply, _ request: HTTPRequest) -> Result<HTTPResponse, HTTPError> {
        func success(_ type: String, _ result: String) -> Result<HTTPResponse, HTTPError> {
            .success(HTTPResponse(status: 200, body: Array(#"{"status":"success","data":{"resultType":"\#(type)","result":\#(result)}}"#.utf8)))
        }
        func text(_ value: Double) -> String {
            value.isNaN ? "NaN" : value == .infinity ? "+Inf" : value == -.infinity ? "-Inf" : "\(value)"
        }
        switch reply {
        case .number(let value): return success("vector", #"[{"metric":{},"value":[1700000000,"\#(text(value))"]}]"#)
        case .noSeries: return success("vector", "[]")
        case .series(let count):
            let items = (0..<count).map { #"{"metric":{"instance":"\#(Character(UnicodeScalar(97 + $0)!))"},"value":[1700000000,"1"]}"# }
            return success("vector", "[" + items.joined(separator: ",") + "]")
        case .scalar(let value): return success("scalar", #"[1700000000,"\#(text(value))"]"#)
        case .matrix: return success("matrix", #"[{"metric":{},"values":[[1700000000,"1"]]}]"#)
        case .badData:
            return .success(HTTPResponse(status: 400, body: Array(#"{"status":"error","errorType":"bad_data","error":"parse error"}"#.utf8)))
        case .down:
            return .failure(HTTPError(.connection, method: .post, host: "prom:9090", path: "/api/v1/query", message: "Connection refused"))
        }
    }
}
