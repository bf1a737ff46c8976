import Foundation
import TackHTTP
import Testing

@testable import KubeAPI

@Suite("Status bodies as typed errors")
struct StatusErrorTests {
    private func error(_ status: Int, _ body: String, headers: HTTPHeaders = [:]) -> KubeError {
        KubeClient.statusError(HTTPResponse(status: status, headers: headers, body: Array(body.utf8)), request: "PATCH /apis/apps/v1/namespaces/lora/deployments/web")
    }

    @Test("an apply conflict keeps its reason, message and field causes")
    func applyConflict() {
        let body = #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","code":409,"reason":"Conflict","message":"Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using apps/v1: .spec.replicas","details":{"causes":[{"reason":"FieldManagerConflict","message":"conflict with \"kubectl-client-side-apply\" using apps/v1","field":".spec.replicas"}]}}"#
        let failure = error(409, body)
        #expect(failure.reason == .conflict)
        guard case .status(let status) = failure else { Issue.record("not a status error"); return }
        #expect(status.causes.map(\.field) == [".spec.replicas"])
        #expect(status.causes.first?.reason == "FieldManagerConflict")
        #expect(failure.description.hasPrefix("PATCH /apis/apps/v1/namespaces/lora/deployments/web answered 409 Conflict: Apply failed with 1 conflict"))
    }

    @Test("every reason the driver acts on is typed", arguments: [
        ("NotFound", 404, StatusReason.notFound), ("AlreadyExists", 409, .alreadyExists), ("Invalid", 422, .invalid),
        ("Forbidden", 403, .forbidden), ("Expired", 410, .expired), ("Gone", 410, .expired), ("TooManyRequests", 429, .tooManyRequests),
        ("Unauthorized", 401, .unauthorized), ("ServiceUnavailable", 503, .serviceUnavailable),
    ])
    func reasons(_ reason: String, _ code: Int, _ expected: StatusReason) {
        let body = #"{"kind":"Status","apiVersion":"v1","status":"Failure","code":\#(code),"reason":"\#(reason)","message":"m"}"#
        #expect(error(code, body).reason == expected)
    }

    @Test("429 carries retryAfterSeconds from the Status, or from the Retry-After header")
    func retryAfter() {
        let body = #"{"kind":"Status","apiVersion":"v1","status":"Failure","code":429,"reason":"TooManyRequests","message":"slow down","details":{"retryAfterSeconds":2}}"#
        guard case .status(let fromBody) = error(429, body), case .status(let fromHeader) = error(429, "busy", headers: ["Retry-After": "7"]) else {
            Issue.record("not status errors")
            return
        }
        #expect(fromBody.retryAfterSeconds == 2)
        #expect(fromHeader.retryAfterSeconds == 7)
        #expect(fromHeader.reason == .tooManyRequests)
    }

    @Test("a body that is not a Status gives the reason from the HTTP code and does not echo the body")
    func plainBody() {
        let failure = error(403, "token abc123 rejected")
        #expect(failure.reason == .forbidden)
        #expect(!failure.description.contains("abc123"))
    }

    @Test("query values are percent-encoded, label selectors included")
    func query() {
        #expect(KubeClient.queryString([("labelSelector", "app=web,track in (stable,canary)"), ("watch", "1")])
                == "?labelSelector=app%3Dweb%2Ctrack%20in%20%28stable%2Ccanary%29&watch=1")
        #expect(KubeClient.queryString([]) == "")
        #expect(ListSelector.labels(["b": "2", "a": "1"]).labels == "a=1,b=2")
    }
}
