import Foundation
import Glibc
import Synchronization
import Testing
@testable import SpliceEngine

/// `WorkerPool`, which `BlockingWork` runs on: no job waits behind a blocked one, and finished workers are reused.
@Suite("Worker pool for blocking work")
struct WorkerPoolTests {
    /// A count shared by the jobs.
    final class Counter: Sendable {
        let value = Mutex(0)
        var current: Int { value.withLock { $0 } }
        func increment() { value.withLock { $0 += 1 } }
    }

    /// Twenty jobs that each block until all twenty run: they can only finish if each got a thread of its own.
    @Test func blockedJobsNeverHoldBackOthers() async throws {
        let pool = WorkerPool(maximumIdle: 4, idleSeconds: 5)
        let started = Counter()
        let count = 20
        let finished = try await withThrowingTaskGroup(of: pthread_t.self) { group in
            for _ in 0..<count {
                group.addTask {
                    try await withCheckedThrowingContinuation { continuation in
                        let accepted = pool.submit {
                            started.increment()
                            let deadline = Date().addingTimeInterval(10)
                            while started.current < count && Date() < deadline { usleep(1000) }
                            continuation.resume(returning: pthread_self())
                        }
                        if !accepted { continuation.resume(throwing: BlockingWork.Unavailable()) }
                    }
                }
            }
            return try await group.reduce(into: Set<pthread_t>()) { $0.insert($1) }
        }
        #expect(started.current == count)
        #expect(finished.count == count, "every job ran on a thread of its own")
        // At most four workers stay; they wait for the next jobs.
        var waiting = pool.waiting
        for _ in 0..<100 where waiting != 4 {
            try await Task.sleep(for: .milliseconds(10))
            waiting = pool.waiting
        }
        #expect(waiting == 4)
        // A later job runs on one of them instead of a new thread.
        let later: pthread_t = try await withCheckedThrowingContinuation { continuation in
            _ = pool.submit { continuation.resume(returning: pthread_self()) }
        }
        #expect(finished.contains(later))
    }

    /// Results and errors come back through `BlockingWork.run`, one job after another on the shared pool.
    @Test func blockingWorkReturnsResultsAndErrors() async throws {
        struct Failure: Error {}
        for value in 0..<50 { #expect(try await BlockingWork.run { value * 2 } == value * 2) }
        await #expect(throws: Failure.self) { try await BlockingWork.run { throw Failure() } }
    }
}
