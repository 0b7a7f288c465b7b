import Glibc

/// The one way to run code on a kernel thread of its own, never a concurrency thread: detached for long-blocking
/// loops (epoll, socket reads, `waitpid`, log tails), joinable for a session's pumps, or run-and-wait for per-thread
/// state such as `setns(2)` that must not leak into the cooperative pool. Foundation-free, so `splice-init` and
/// `pipework` may use it too.
public final class KernelThread {
    private let thread: pthread_t
    private var joined = false

    private init(_ thread: pthread_t) { self.thread = thread }

    /// Starts `body` on a new detached thread; false when the thread could not be created (then `body` never runs).
    @discardableResult
    public static func detach(_ body: @escaping @Sendable () -> Void) -> Bool {
        create(body, detached: true) != nil
    }

    /// Starts `body` on a new joinable thread; nil when the thread could not be created (then `body` never runs).
    public static func start(_ body: @escaping @Sendable () -> Void) -> KernelThread? {
        create(body, detached: false).map(KernelThread.init)
    }

    /// Waits for the thread to finish (once; later calls return at once).
    public func join() {
        guard !joined else { return }
        joined = true
        pthread_join(thread, nil)
    }

    /// Runs `body` on a new thread and waits for its result, so per-thread state it changes (`setns`, `unshare`)
    /// never reaches the caller's thread. `pthread_create` fails only when the process is out of resources; that
    /// stops the process rather than run namespace work on the caller's thread.
    public static func run<T, E: Error>(_ body: @escaping () throws(E) -> T) throws(E) -> T {
        let box = ResultBox<T, E>(body)
        guard let thread = create({ box.enter() }, detached: false) else {
            fatalError("pthread_create failed: out of threads or memory")
        }
        pthread_join(thread, nil)
        return try box.take()
    }

    /// Creates the thread; `entry` runs on it. Returns nil (and never runs `entry`) when no thread could be made.
    private static func create(_ entry: @escaping () -> Void, detached: Bool) -> pthread_t? {
        let box = Unmanaged.passRetained(Entry(entry))
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        if detached { pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED)) }
        var thread = pthread_t()
        let created = pthread_create(&thread, &attributes, { raw in
            guard let raw else { return nil }
            Unmanaged<Entry>.fromOpaque(raw).takeRetainedValue().body()
            return nil
        }, box.toOpaque())
        guard created == 0 else {
            box.release()
            return nil
        }
        return thread
    }

    /// Holds the closure across the thread start.
    private final class Entry {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }
}

/// Holds the closure and its outcome. The thread writes `outcome` before it exits and the caller reads it only
/// after `pthread_join`, which orders the two accesses.
private final class ResultBox<T, E: Error> {
    let body: () throws(E) -> T
    var outcome: Result<T, E>?

    init(_ body: @escaping () throws(E) -> T) { self.body = body }

    func enter() {
        do throws(E) { outcome = .success(try body()) } catch { outcome = .failure(error) }
    }

    func take() throws(E) -> T {
        switch outcome {
        case .success(let value): return value
        case .failure(let error): throw error
        case nil: preconditionFailure("the thread finished without a result")
        }
    }
}
