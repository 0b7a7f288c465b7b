import Glibc

/// A detached kernel thread for long-blocking work (epoll loops, socket reads, `waitpid`), never a concurrency
/// thread; Foundation-free, so `splice-init` and `pipework` may use it too.
public enum KernelThread {
    /// Starts `body` on a new detached thread; false when the thread could not be created (then `body` never runs).
    @discardableResult
    public static func detach(_ body: @escaping @Sendable () -> Void) -> Bool {
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
        if created != 0 { box.release() }
        return created == 0
    }

    /// Holds the closure across the thread start.
    private final class Box: Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
}
