import Synchronization
import SystemKit

/// Runs work for several simulated hosts at once: each host is a daemon of its own, so their slow steps (a `spliced`
/// starting, an image import, a container run waiting on the store) overlap instead of adding up.
enum Concurrently {
    /// `body` for every item, each on a kernel thread of its own (the work blocks in `waitpid` and socket reads),
    /// the results in the items' order; at most `width` at a time. An item whose thread cannot be started runs on
    /// the caller's thread.
    static func map<Item: Sendable, Value: Sendable>(_ items: [Item], width: Int = .max,
                                                     _ body: @escaping @Sendable (Item) -> Value) -> [Value]
    {
        guard items.count > 1, width > 1 else { return items.map(body) }
        let results = Mutex<[Int: Value]>([:])
        let claimed = Mutex(0)
        // Each worker takes the next item nobody has taken until none is left.
        let work: @Sendable () -> Void = {
            while true {
                let index = claimed.withLock { next in
                    defer { next += 1 }
                    return next
                }
                guard index < items.count else { return }
                let value = body(items[index])
                results.withLock { $0[index] = value }
            }
        }
        let threads = (1..<min(width, items.count)).compactMap { _ in KernelThread.start(work) }
        work()
        for thread in threads { thread.join() }
        // Every index holds its value: the workers stop only when every item is taken, and each finishes its own.
        return results.withLock { values in items.indices.compactMap { values[$0] } }
    }
}
