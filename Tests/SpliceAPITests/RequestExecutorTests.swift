import Foundation
import Synchronization
import Testing
@testable import SpliceAPI
import APITestSupport

/// The server answers on its own threads: with every thread of Swift's global cooperative pool parked in a
/// blocking call, `/_ping` is still answered.
@Suite("API server threads")
struct RequestExecutorTests {
    /// Flags shared with the parked tasks.
    final class Parking: Sendable {
        let parked = Atomic<Int>(0)
        let released = Atomic<Bool>(false)
        let probeRan = Atomic<Bool>(false)
    }

    @Test("/_ping is answered while every cooperative thread is blocked")
    func pingWithStarvedPool() async throws {
        try await ServerTests.withServer { server in
            let path = server.socketPath
            // Everything below runs on a plain thread: the test's own task could not resume on a parked pool.
            let outcome = try await offPool { () -> (parked: Int, probeRan: Bool, status: String) in
                let parking = Parking()
                // Far more blockers than the pool has threads (one per core): the surplus waits in its queue.
                let blockers = 64
                for _ in 0..<blockers {
                    Task.detached {
                        parking.parked.add(1, ordering: .relaxed)
                        // Deliberately blocks a cooperative thread, as a misbehaving caller elsewhere would.
                        while !parking.released.load(ordering: .relaxed) { usleep(2_000) }
                    }
                }
                // Wait until the number of parked tasks stops growing: every pool thread is taken.
                var last = -1
                var stableRounds = 0
                for _ in 0..<200 where stableRounds < 10 {
                    usleep(20_000)
                    let now = parking.parked.load(ordering: .relaxed)
                    stableRounds = now == last && now > 0 ? stableRounds + 1 : 0
                    last = now
                }
                // Proof that the pool is starved: a new task on it does not get to run.
                Task.detached { parking.probeRan.store(true, ordering: .relaxed) }
                usleep(300_000)
                let probeRan = parking.probeRan.load(ordering: .relaxed)
                var status = ""
                do {
                    let client = try RawHTTPClient(path: path, timeoutSeconds: 5)
                    try client.send("GET /_ping HTTP/1.1\r\nHost: splice\r\n\r\n")
                    let response = try client.readResponse()
                    status = response.head.statusLine + " " + String(decoding: response.body, as: UTF8.self)
                } catch {
                    status = "no answer: \(error)"
                }
                parking.released.store(true, ordering: .relaxed)
                return (last, probeRan, status)
            }
            #expect(outcome.parked > 0 && outcome.parked < 64, "parked \(outcome.parked) tasks")
            #expect(!outcome.probeRan, "the cooperative pool was not starved, so the test proves nothing")
            #expect(outcome.status == "HTTP/1.1 200 OK OK")
        }
    }
}
