import Synchronization

/// The response tasks of every connection, so that shutdown can cancel them and wait for them to finish before
/// the event loops go away (a task still writing through a stopped loop would leak its promise).
final class ResponseTasks: Sendable {
    private let tasks = Mutex<[UInt64: Task<Void, Never>]>([:])
    private let counter = Atomic<UInt64>(0)
    private let executor: RequestExecutor

    /// Creates a tracker whose tasks run on `executor`.
    init(executor: RequestExecutor) { self.executor = executor }

    /// Runs `body` as a tracked task on the server's own threads.
    @discardableResult
    func run(_ body: @escaping @Sendable () async -> Void) -> Task<Void, Never> {
        let id = counter.add(1, ordering: .relaxed).newValue
        let task = Task(executorPreference: executor) { [weak self] in
            await body()
            _ = self?.tasks.withLock { $0.removeValue(forKey: id) }
        }
        tasks.withLock { tasks in
            // A task that already finished has removed nothing yet; it is harmless to keep until shutdown.
            tasks[id] = task
        }
        return task
    }

    /// Cancels every task still running and waits until all have returned.
    func cancelAndWait() async {
        let running = tasks.withLock { tasks in
            let all = Array(tasks.values)
            tasks.removeAll()
            return all
        }
        for task in running { task.cancel() }
        for task in running { await task.value }
    }
}
