import Dispatch
import Glibc

/// Starts long-blocking work (socket reads, `waitpid`, log tails) on its own detached kernel thread, never on the
/// cooperative pool.
enum EngineThread {
    /// Runs `body` on a new detached thread; falls back to a Dispatch worker if no thread can be made.
    static func detach(_ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Box(body))
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        var thread = pthread_t()
        let created = pthread_create(&thread, &attributes, { raw in
            guard let raw else { return nil }
            Unmanaged<Box>.fromOpaque(raw).takeRetainedValue().body()
            return nil
        }, box.toOpaque())
        if created != 0 {
            let work = box.takeRetainedValue().body
            DispatchQueue.global().async { work() }
        }
    }

    /// Holds the closure across the thread start.
    private final class Box {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
}
