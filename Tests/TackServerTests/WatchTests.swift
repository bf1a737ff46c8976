import Foundation
import TackEngine
import TackHTTP
import TackServer
import Testing

@Suite("controller watch stream")
struct WatchTests {
    @Test("the JSON-lines watch starts with the state, sends every event in order, and ends after the end state")
    func jsonLines() async throws {
        try await RunningController.with(options: RunningController.fast) { controller in
            #expect(try await controller.apply(ServerPipelines.canary("v1")).status == 201)
            let stream = try await controller.client.stream(HTTPRequest(
                url: controller.base + "/v1/applications/svc/watch", headers: controller.authorized, timeout: .seconds(30)))
            #expect(stream.status == 200)
            #expect(stream.headers["Content-Type"] == "application/x-ndjson")
            var messages: [WatchMessage] = []
            for try await line in stream.lines {
                messages.append(try APIJSON.decoder().decode(WatchMessage.self, from: Data(line.utf8)))
            }
            guard case .state(let first)? = messages.first, case .state(let last)? = messages.last else {
                Issue.record("the stream does not start and end with a state: \(messages)")
                return
            }
            #expect(!first.isTerminal || messages.count > 2)
            #expect(last.phase == .failed)
            #expect(messages.dropLast().allSatisfy { if case .state(let view) = $0 { !view.isTerminal } else { true } })
            let events = messages.compactMap { if case .event(let event) = $0 { event } else { nil } }
            #expect(events.first?.kind == .created)
            #expect(zip(events, events.dropFirst()).allSatisfy { $0.sequence < $1.sequence })
            let stored = try controller.engine.store.events(executionID: last.id)
            #expect(events.map(\.sequence) == stored.map(\.sequence))
        }
    }

    @Test("with Accept: text/event-stream the watch sends server-sent events")
    func serverSentEvents() async throws {
        try await RunningController.with(options: RunningController.fast) { controller in
            #expect(try await controller.apply(ServerPipelines.canary("v1")).status == 201)
            _ = try await controller.waitUntilEnded()
            var headers = controller.authorized
            headers.add(name: "Accept", value: "text/event-stream")
            let stream = try await controller.client.stream(HTTPRequest(
                url: controller.base + "/v1/applications/svc/watch", headers: headers, timeout: .seconds(30)))
            #expect(stream.headers["Content-Type"] == "text/event-stream")
            var lines: [String] = []
            for try await line in stream.lines { lines.append(line) }
            let frames = lines.split(separator: "", omittingEmptySubsequences: false).filter { !$0.isEmpty }
            #expect(lines.last == "")
            #expect(frames.first?.first == "event: state")
            #expect(frames.dropFirst().allSatisfy { $0.first == "event: event" })
            for frame in frames {
                #expect(frame.count == 2 && frame.last?.hasPrefix("data: {") == true)
                let message = try APIJSON.decoder().decode(WatchMessage.self, from: Data(frame.last!.dropFirst(6).utf8))
                #expect("event: \(message.type)" == frame.first)
            }
        }
    }

    @Test("a watch with follow=true stays open after the end and follows the next execution")
    func follow() async throws {
        try await RunningController.with(options: RunningController.fast) { controller in
            let first = try decode(ApplyResult.self, try await controller.apply(ServerPipelines.canary("v1")))
            _ = try await controller.waitUntilEnded()
            let stream = try await controller.client.stream(HTTPRequest(
                url: controller.base + "/v1/applications/svc/watch?follow=true", headers: controller.authorized,
                timeout: .seconds(30)))
            var iterator = stream.lines.makeAsyncIterator()
            var sawEnd = false
            while !sawEnd, let line = try await iterator.next() {
                if case .state(let view) = try APIJSON.decoder().decode(WatchMessage.self, from: Data(line.utf8)) { sawEnd = view.isTerminal }
            }
            #expect(sawEnd)
            let second = try decode(ApplyResult.self, try await controller.apply(ServerPipelines.canary("v2")))
            #expect(second.execution.id != first.execution.id)
            var followed: ExecutionView?
            while followed == nil, let line = try await iterator.next() {
                if case .state(let view) = try APIJSON.decoder().decode(WatchMessage.self, from: Data(line.utf8)),
                   view.id == second.execution.id { followed = view }
            }
            #expect(followed?.revision == 2)
            stream.cancel()
        }
    }

    @Test("a graceful shutdown (SIGTERM) ends an open watch and stops the controller")
    func shutdownEndsWatch() async throws {
        try await RunningController.with { controller in
            #expect(try await controller.apply(ServerPipelines.canary("v1")).status == 201)
            let stream = try await controller.client.stream(HTTPRequest(
                url: controller.base + "/v1/applications/svc/watch?follow=true", headers: controller.authorized,
                timeout: .seconds(30)))
            var iterator = stream.lines.makeAsyncIterator()
            #expect(try await iterator.next()?.hasPrefix("{\"execution\":") == true)
            let stopping = Task { await controller.stop() }
            var more = 0
            while try await iterator.next() != nil { more += 1 }
            #expect(await stopping.value, "the controller did not stop within 10 s")
        }
    }
}
