import Testing

@testable import KubeAPI

@Suite("Retries as client-go makes them")
struct KubeRetryTests {
    @Test("429 and 5xx with an integer Retry-After are retried after that many seconds, for every method")
    func retryAfter() {
        for method in ["GET", "PATCH", "POST", "DELETE"] {
            #expect(KubeRetry.delay(method: method, outcome: .response(status: 429, retryAfter: "1"), attempt: 1, maxRetries: 10,
                                    maxRetryAfter: .seconds(60)) == .seconds(1))
            #expect(KubeRetry.delay(method: method, outcome: .response(status: 503, retryAfter: "3"), attempt: 1, maxRetries: 10,
                                    maxRetryAfter: .seconds(60)) == .seconds(3))
        }
    }

    @Test("without a usable Retry-After, or for 4xx other than 429, the answer is final")
    func final() {
        let cases: [(Int, String?)] = [(429, nil), (500, nil), (503, "Wed, 21 Oct 2026 07:28:00 GMT"), (503, "-1"), (409, "1"), (404, "1")]
        for (status, header) in cases {
            #expect(KubeRetry.delay(method: "GET", outcome: .response(status: status, retryAfter: header), attempt: 1,
                                    maxRetries: 10, maxRetryAfter: .seconds(60)) == nil)
        }
    }

    @Test("connection errors are retried for GET only: a write may have reached the server")
    func connectionErrors() {
        #expect(KubeRetry.delay(method: "GET", outcome: .connectionError, attempt: 1, maxRetries: 10, maxRetryAfter: .seconds(60)) == .seconds(1))
        for method in ["PATCH", "POST", "PUT", "DELETE"] {
            #expect(KubeRetry.delay(method: method, outcome: .connectionError, attempt: 1, maxRetries: 10, maxRetryAfter: .seconds(60)) == nil)
        }
    }

    @Test("retries stop after maxRetries and at a Retry-After longer than allowed")
    func limits() {
        #expect(KubeRetry.delay(method: "GET", outcome: .response(status: 429, retryAfter: "1"), attempt: 11, maxRetries: 10,
                                maxRetryAfter: .seconds(60)) == nil)
        #expect(KubeRetry.delay(method: "GET", outcome: .response(status: 429, retryAfter: "120"), attempt: 1, maxRetries: 10,
                                maxRetryAfter: .seconds(60)) == nil)
    }
}
