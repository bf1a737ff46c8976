import Foundation
import Testing
@testable import LoRA

/// `nameCurrentThread` names exactly the calling thread, every time, as /proc shows it.
@Suite("thread names")
struct ThreadNameTests {
    @Test("fifty new threads each read their own name back from /proc, cut to 15 bytes")
    func namesEveryThread() async {
        let names = (0..<50).map { "lora-test-\($0)-with-a-long-tail" }
        let seen = LockedNames()
        let done = DispatchGroup()
        for name in names {
            done.enter()
            let thread = Thread {
                nameCurrentThread(name)
                seen.record(name, (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "")
                done.leave()
            }
            thread.start()
        }
        done.wait()
        for name in names {
            #expect(seen.names[name] == String(name.prefix(15)) + "\n")
        }
    }
}

private final class LockedNames: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String: String] = [:]
    var names: [String: String] { lock.withLock { storage } }
    func record(_ name: String, _ comm: String) { lock.withLock { storage[name] = comm } }
}
