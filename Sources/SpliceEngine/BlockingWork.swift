import SystemKit

/// The one way to run a blocking call (`posix_spawn` + `waitpid`, layer unpacking, file I/O) from async code: on a
/// kernel thread (SystemKit's `KernelThread`, kept by `WorkerPool`), so no thread of the cooperative pool waits in
/// the kernel.
/// It lives here, the lowest async layer, so that SystemKit stays synchronous and the static single-threaded
/// `splice-init` and `pipework` never link the concurrency runtime.
public enum BlockingWork {
    /// No thread could be made for the work (the process is out of threads or memory).
    public struct Unavailable: Error, Sendable {}

    /// Runs `body` on a kernel thread of `WorkerPool` (waiting for a job, or new) and returns its result.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let started = WorkerPool.shared.submit { continuation.resume(with: Result { try body() }) }
            if !started { continuation.resume(throwing: Unavailable()) }
        }
    }

    /// Runs a non-throwing `body` on a pool thread and waits for it.
    public static func runQuietly(_ body: @escaping @Sendable () -> Void) async {
        _ = try? await run { body() }
    }
}
