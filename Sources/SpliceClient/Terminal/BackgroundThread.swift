import SystemKit

/// The client's former joinable thread, now only a name for SystemKit's `KernelThread.start`/`join`, kept so code
/// written against it still builds.
@available(*, deprecated, message: "use KernelThread.start and join")
public final class BackgroundThread {
    private let thread: KernelThread?

    /// Starts `body` on a new thread; when no thread can be made, `body` does not run and `isStarted` is false.
    public init(_ body: @escaping @Sendable () -> Void) { thread = KernelThread.start(body) }

    /// Whether the thread is running (or ran).
    public var isStarted: Bool { thread != nil }

    /// Waits for the thread to finish.
    public func join() { thread?.join() }
}
