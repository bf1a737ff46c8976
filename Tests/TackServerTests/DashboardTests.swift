import Foundation
import Synchronization
import TackDashboard
import TackEngine
import TackHTTP
import TackServer
import Testing

@Suite("the web page")
struct DashboardTests {
    @Test("the page and its assets need no token, carry their types, validators and a strict policy; an unknown asset is 404")
    func assets() async throws {
        try await RunningController.with { controller in
            let page = try await controller.send(.get, "/", headers: [:])
            #expect(page.status == 200)
            #expect(page.headers["Content-Type"] == "text/html; charset=utf-8")
            #expect(page.headers["Content-Security-Policy"]?.contains("default-src 'none'") == true)
            #expect(page.headers["Content-Security-Policy"]?.contains("connect-src 'self'") == true)
            #expect(page.headers["X-Content-Type-Options"] == "nosniff")
            #expect(page.body == DashboardAssets.page.bytes)

            for asset in DashboardAssets.assets.values {
                let answer = try await controller.send(.get, "/assets/\(asset.name)", headers: [:])
                #expect(answer.status == 200, "\(asset.name)")
                #expect(answer.headers["Content-Type"] == asset.contentType)
                #expect(answer.body == asset.bytes, "\(asset.name)")
                let again = try await controller.send(.get, "/assets/\(asset.name)", headers: ["If-None-Match": asset.etag])
                #expect(again.status == 304 && again.body.isEmpty, "\(asset.name)")
            }
            #expect(try await controller.send(.get, "/assets/secrets.json", headers: [:]).status == 404)
            #expect(try await controller.send(.get, "/assets/../engine.db", headers: [:]).status != 200)
        }
    }

    @Test("every file the page loads or imports is one the controller serves, and none comes from elsewhere")
    func references() throws {
        let texts = [DashboardAssets.page] + DashboardAssets.assets.values.filter { $0.name.hasSuffix(".js") || $0.name.hasSuffix(".css") }
        var referenced: Set<String> = []
        for asset in texts {
            let text = String(decoding: asset.bytes, as: UTF8.self)
            #expect(text.firstMatch(of: /(?:src|href)=["']https?:|from ["']https?:|url\(["']?https?:|@import/) == nil,
                    "\(asset.name) loads something from another origin")
            for match in text.matches(of: /(?:src|href)="\/assets\/([^"]+)"|from ["']\.\/([^"']+)["']|import\(["']\.\/([^"']+)["']\)/) {
                referenced.insert(String(match.output.1 ?? match.output.2 ?? match.output.3 ?? ""))
            }
            #expect(!text.contains("<script>") && !text.contains(" style=\""), "\(asset.name) has inline script or style, which the policy blocks")
        }
        #expect(referenced.contains("app.js"))
        #expect(referenced.isSubset(of: Set(DashboardAssets.assets.keys)), "\(referenced.subtracting(DashboardAssets.assets.keys))")
    }

    @Test("a one-time link needs the controller's token, signs one browser in, and the session's token works for the API")
    func oneTimeLink() async throws {
        try await RunningController.with { controller in
            #expect(try await controller.send(.post, "/v1/dashboard/links", headers: [:]).status == 401)
            let issued = try await controller.send(.post, "/v1/dashboard/links")
            #expect(issued.status == 201)
            let link = try decode(DashboardSessions.Link.self, issued)
            #expect(link.code.count == 64 && link.code != controller.token)

            let exchange = #"{"code": "\#(link.code)"}"#
            let answer = try await controller.send(.post, "/v1/dashboard/session", json: exchange, headers: [:])
            #expect(answer.status == 200)
            let session = try decode(DashboardSessions.Session.self, answer)
            #expect(session.token.count == 64 && session.token != controller.token && session.token != link.code)
            #expect(session.expiresAt > Date().addingTimeInterval(11 * 3600))

            let list = try await controller.send(.get, "/v1/applications", headers: ["Authorization": "Bearer \(session.token)"])
            #expect(list.status == 200)

            let reused = try await controller.send(.post, "/v1/dashboard/session", json: exchange, headers: [:])
            #expect(reused.status == 401)
            #expect(try decode(APIErrorBody.self, reused).message.contains("used already or has expired"))
            #expect(!reused.text.contains(link.code))
            let guessed = try await controller.send(.post, "/v1/dashboard/session", json: #"{"code": "\#(controller.token)"}"#, headers: [:])
            #expect(guessed.status == 401)
            #expect(try await controller.send(.post, "/v1/dashboard/session", json: "{", headers: [:]).status == 400)
        }
    }

    @Test("the applications list names each application's last verdict and why it ended so")
    func lastVerdict() async throws {
        try await RunningController.with(options: RunningController.fast) { controller in
            #expect(try await controller.apply(ServerPipelines.canary("v1")).status == 201)
            let ended = try await controller.waitUntilEnded()
            #expect(ended.isTerminal)
            let summaries = try decode([ApplicationSummary].self, try await controller.send(.get, "/v1/applications"))
            let verdict = try #require(summaries.first?.lastVerdict)
            #expect(verdict.execution == ended.id && verdict.revision == 1 && verdict.phase == ended.phase)
            #expect(verdict.reason == (ended.cause?.description ?? ended.message))
            #expect(verdict.reason != nil)
        }
    }
}

@Suite("web page sessions")
struct DashboardSessionsTests {
    final class Clock: Sendable {
        let time = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
        func advance(_ seconds: Double) { time.withLock { $0 = $0.addingTimeInterval(seconds) } }
    }

    @Test("a code works once and only within its minute; a session ends after its lifetime")
    func lifetimes() throws {
        let clock = Clock()
        let sessions = DashboardSessions(now: { clock.time.withLock { $0 } })
        let late = sessions.issueLink()
        clock.advance(61)
        #expect(sessions.exchange(late.code) == nil)

        let link = sessions.issueLink()
        clock.advance(59)
        let session = try #require(sessions.exchange(link.code))
        #expect(sessions.exchange(link.code) == nil)
        #expect(sessions.admits(session.token))
        #expect(!sessions.admits(String(repeating: "0", count: 64)))
        clock.advance(12 * 3600 - 1)
        #expect(sessions.admits(session.token))
        clock.advance(2)
        #expect(!sessions.admits(session.token))
    }

    @Test("past its capacity the entry that expires first gives way")
    func capacity() {
        let clock = Clock()
        let sessions = DashboardSessions(capacity: 2, now: { clock.time.withLock { $0 } })
        let first = sessions.issueLink()
        clock.advance(1)
        let second = sessions.issueLink()
        let third = sessions.issueLink()
        #expect(sessions.exchange(first.code) == nil)
        #expect(sessions.exchange(second.code) != nil && sessions.exchange(third.code) != nil)
    }
}
