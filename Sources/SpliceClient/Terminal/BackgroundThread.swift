#if canImport(Glibc)
import Glibc
#endif

/// A joinable kernel thread for the blocking pumps of an attached session (stdin, signals).
public final class BackgroundThread {
    private var thread = pthread_t()
    private var started = false

    /// Starts `body` on a new thread; when no thread can be made, `body` does not run and `started` is false.
    public init(_ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Entry(body))
        let created = pthread_create(&thread, nil, { raw in
            guard let raw else { return nil }
            Unmanaged<Entry>.fromOpaque(raw).takeRetainedValue().body()
            return nil
        }, box.toOpaque())
        if created == 0 {
            started = true
        } else {
            box.release()
        }
    }

    /// Whether the thread is running (or ran).
    public var isStarted: Bool { started }

    /// Waits for the thread to finish.
    public func join() {
        guard started else { return }
        started = false
        pthread_join(thread, nil)
    }

    private final class Entry {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
}
