import FakeKubeAPI
import Synchronization
import Testing

@testable import KubeAPI

/// The back-off waits an informer's loop asked for, taken at once.
private final class RecordedPauses: Sendable {
    private let log = Mutex<[Int]>([])

    /// The waits so far, in whole seconds.
    var seconds: [Int] { log.withLock { $0 } }

    var pause: @Sendable (Duration) async throws -> Void {
        { duration in
            self.log.withLock { $0.append(Int(duration.components.seconds)) }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}

/// The back-off of an informer's list-and-watch loop, with waits recorded instead of slept,
/// against the fake API server standing in for kube-apiserver.
@Suite("Kubernetes client: informer back-off")
struct InformerBackoffTests {
    /// Runs the loop of a ConfigMap informer in `prod` until `body` returns.
    private static func withLoop(_ kube: KubeClientHarness, _ body: (InformerCache, RecordedPauses) async throws -> Void) async throws {
        let cache = InformerCache()
        let pauses = RecordedPauses()
        let loop = InformerLoop(client: kube.client, resource: .configMaps, namespace: nil, selector: ListSelector(),
                                watchTimeout: 300...600, cache: cache, pause: pauses.pause)
        let task = Task { await loop.run() }
        defer { task.cancel() }
        try await body(cache, pauses)
    }

    @Test("watches the server refuses back off 1, 2, 4 … up to 30 s; once a watch opens, the next drop waits 1 s again")
    func doublingThenReset() async throws {
        try await KubeClientHarness.with { kube in
            kube.server.failNext(7, status: 503) { $0.isWatch }
            try await Self.withLoop(kube) { cache, pauses in
                #expect(await KubeClientHarness.eventually { kube.server.openWatchCount == 1 })
                #expect(pauses.seconds == [1, 2, 4, 8, 16, 30, 30])
                #expect(cache.state.withLock(\.lastError)?.contains("ServiceUnavailable") == true)
                kube.server.closeWatches()
                #expect(await KubeClientHarness.eventually { kube.watches.count == 9 && kube.server.openWatchCount == 1 })
                kube.server.closeWatches()
                #expect(await KubeClientHarness.eventually { kube.watches.count == 10 && kube.server.openWatchCount == 1 })
                #expect(pauses.seconds == [1, 2, 4, 8, 16, 30, 30, 1, 1])
                #expect(cache.state.withLock(\.lists) == 1)
            }
        }
    }

    @Test("a 410 on resuming a watch re-lists at once; a 410 on the watch of a list just made waits first")
    func expiredAfterList() async throws {
        try await KubeClientHarness.with { kube in
            kube.server.failNext(1, status: 410) { $0.isWatch }
            try await Self.withLoop(kube) { cache, pauses in
                #expect(await KubeClientHarness.eventually { kube.server.openWatchCount == 1 })
                #expect(pauses.seconds == [1])
                #expect(cache.state.withLock(\.lists) == 2)

                kube.server.failNext(1, status: 410) { $0.isWatch }
                kube.server.closeWatches()
                #expect(await KubeClientHarness.eventually { cache.state.withLock(\.lists) == 3 && kube.server.openWatchCount == 1 })
                #expect(pauses.seconds == [1, 1])
                #expect(kube.calls.count == 3)
            }
        }
    }
}
