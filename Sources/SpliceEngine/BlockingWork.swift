import Dispatch

/// Runs blocking calls (posix_spawn + waitpid, layer unpacking) on a Dispatch worker, off the cooperative pool.
enum BlockingWork {
    /// Runs `body` on a global queue and returns its result.
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
        }
    }
}
