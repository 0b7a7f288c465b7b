import Glibc
import Synchronization
import Testing

@testable import NetLab

/// The helper `up` and `test` run hosts' work and checks with: every item once, results in the items' order, never
/// more than the width at a time, and truly at once (a lab of ten hosts waits for its slowest host, not their sum).
@Suite struct ConcurrentlyTests {
    @Test func everyItemOnceInOrderAndNoWiderThanAsked() {
        let running = Mutex((now: 0, most: 0))
        let seen = Mutex<[Int]>([])
        let results = Concurrently.map(Array(0..<40), width: 8) { item -> String in
            running.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
            usleep(2_000)
            seen.withLock { $0.append(item) }
            running.withLock { $0.now -= 1 }
            return "r\(item)"
        }
        #expect(results == (0..<40).map { "r\($0)" })
        #expect(seen.withLock { $0.sorted() } == Array(0..<40), "each item exactly once")
        let most = running.withLock { $0.most }
        #expect(most <= 8, "\(most) ran at once")
        #expect(most > 1, "the items ran one after the other")
    }

    @Test func itemsThatWaitOverlap() {
        // Ten items that each wait until all ten have started: only possible if they run at the same time.
        let started = Mutex(0)
        let results = Concurrently.map(Array(0..<10)) { item -> Bool in
            started.withLock { $0 += 1 }
            for _ in 0..<2_000 where started.withLock({ $0 }) < 10 { usleep(1_000) }
            return started.withLock { $0 } == 10
        }
        #expect(results == Array(repeating: true, count: 10))
    }

    @Test func oneItemOrWidthOneRunsOnTheCaller() {
        #expect(Concurrently.map([7]) { $0 * 2 } == [14])
        #expect(Concurrently.map([1, 2, 3], width: 1) { $0 + 1 } == [2, 3, 4])
        #expect(Concurrently.map([Int]()) { $0 }.isEmpty)
    }
}
