import Foundation
import TackEngine
import TackHTTP
import TackServer
import Testing

@testable import tack

/// What the controller commands beside `watch` print: the application and history tables, the
/// apply summary, errors, and where the client finds the controller and its token.
@Suite("tack controller client text")
struct WatchClientTextTests {
    @Test("tack get lists each application with its accounts' phases and age")
    func applicationTable() throws {
        let now = try WatchFixtures.date("2025-11-22T18:00:00Z")
        let summaries = [
            ApplicationSummary(app: "svc", revision: 4, phase: .rolledBack,
                               accounts: [.init(account: "aws-eu-central-1", phase: .rolledBack), .init(account: "gcp-us-west1", phase: .rolledBack)],
                               updatedAt: try WatchFixtures.date("2025-11-22T17:02:05Z")),
            ApplicationSummary(app: "lora-demo", revision: 12, phase: .progressing,
                               accounts: [.init(account: "aws-eu-central-1", phase: .progressing)], updatedAt: now.addingTimeInterval(-42)),
        ]
        #expect(GetCommand.table(summaries, now: now) == """
            APP        REVISION  PHASE        ACCOUNTS                                             AGE
            svc        4         rolledBack   aws-eu-central-1=rolledBack,gcp-us-west1=rolledBack  57m
            lora-demo  12        progressing  aws-eu-central-1=progressing                         42s

            """)
        #expect(GetCommand.table([], now: now) == "no applications yet; tack apply -f FILE sends one\n")
    }

    @Test("tack history gives each execution's start, duration and reason")
    func historyTable() throws {
        let rolledBack = try WatchFixtures.recording("rolled-back").execution
        var running = try WatchFixtures.recording("canary-and-bluegreen").execution
        running.id = 9
        running.createdAt = try WatchFixtures.date("2025-11-22T17:59:00Z")
        let table = HistoryCommand.table([running, rolledBack], now: try WatchFixtures.date("2025-11-22T18:00:30Z"))
        #expect(table == """
            EXECUTION  REVISION  PHASE        STARTED              DURATION  REASON
            9          3         progressing  2025-11-22 17:59:00  1m30s     
            8          4         rolledBack   2025-11-22 17:00:00  2m05s     errorRate > 5% in aws-eu-central-1: errorRate 31.2% > 5% (failed rounds 1 > failureLimit 0)

            """)
    }

    @Test("tack apply says whether a revision was created and what it superseded")
    func applySummary() throws {
        let view = try WatchFixtures.recording("canary-and-bluegreen").execution
        #expect(ApplyCommand.summary(ApplyResult(app: "svc", revision: 3, created: true, superseded: [6], execution: view))
                == "svc: revision 3 applied, execution 7 (supersedes execution 6)")
        #expect(ApplyCommand.summary(ApplyResult(app: "svc", revision: 3, created: false, superseded: [], execution: view))
                == "svc: revision 3 unchanged, execution 7")
    }

    @Test("the controller's error body becomes the message, with an invalid pipeline's problems as details")
    func errors() throws {
        let body = Data(#"{"code":422,"reason":"Invalid","message":"the pipeline is invalid","details":["p.yaml:3:5: error: x"]}"#.utf8)
        let error = ControllerClient.error(status: 422, body: body, path: "/v1/apply")
        #expect(error.description == "the pipeline is invalid")
        #expect(error.detailLines == ["p.yaml:3:5: error: x"])
        let html = ControllerClient.error(status: 502, body: Data("<h1>Bad Gateway</h1>".utf8), path: "/v1/applications")
        #expect(html.description == "the controller answered 502 to /v1/applications: <h1>Bad Gateway</h1>")
        #expect(ClientError.unreachable(url: "http://127.0.0.1:7420").description
                == "cannot reach the controller at http://127.0.0.1:7420 (is tack controller running?)")
        #expect(try ControllerClient(baseURL: "http://user:secret@127.0.0.1:7420", token: "t").failure(
            HTTPError(.connection, method: .get, host: "127.0.0.1:7420", path: "/v1/applications", message: "refused")).description
                == "cannot reach the controller at http://127.0.0.1:7420 (is tack controller running?)")
        #expect(ControllerClient.applicationPath("my app/x", "/watch") == "/v1/applications/my%20app%2Fx/watch")
    }

    @Test("the controller's URL comes from --controller, else $TACK_CONTROLLER; the token from $TACK_TOKEN, else HOME/controller.token")
    func options() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("tack-client-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let options = try ControllerOptions.parse(["--home", home.path])
        #expect(options.baseURL(environment: [:]) == "http://127.0.0.1:7420")
        #expect(options.baseURL(environment: ["TACK_CONTROLLER": "10.0.0.5:9000/"]) == "http://10.0.0.5:9000")
        #expect(try ControllerOptions.parse(["--controller", "https://tack.example/"]).baseURL(environment: ["TACK_CONTROLLER": "x"])
                == "https://tack.example")
        #expect(options.token(environment: [:]) == nil)
        try "abc123\n".write(to: home.appendingPathComponent("controller.token"), atomically: true, encoding: .utf8)
        #expect(options.token(environment: [:]) == "abc123")
        #expect(options.token(environment: ["TACK_TOKEN": "fromenv"]) == "fromenv")
    }
}
