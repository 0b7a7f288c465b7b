import NIOCore
import NIOPosix

/// The API server's own threads: a `TaskExecutor` over a small NIO event loop group that the server's response
/// tasks prefer, so that blocking work elsewhere, which may park every thread of the global cooperative pool,
/// cannot delay an answer such as `/_ping`.
public final class RequestExecutor: TaskExecutor {
    private let group: MultiThreadedEventLoopGroup

    /// The process-wide executor (two threads), shared by every server and never shut down, so a late job of a
    /// finished server always has a thread to run on.
    public static let shared = RequestExecutor(threads: 2)

    /// Creates an executor with `threads` dedicated threads.
    public init(threads: Int) {
        group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, threads))
    }

    /// Runs `job` on one of the executor's threads.
    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        group.next().execute { unowned.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
