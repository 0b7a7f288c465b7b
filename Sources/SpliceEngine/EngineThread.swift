import Dispatch
import SystemKit

/// Starts long-blocking work (socket reads, `waitpid`, log tails) on its own detached kernel thread, never on the
/// cooperative pool.
enum EngineThread {
    /// Runs `body` on a new detached thread; falls back to a Dispatch worker if no thread can be made.
    static func detach(_ body: @escaping @Sendable () -> Void) {
        if !KernelThread.detach(body) { DispatchQueue.global().async { body() } }
    }
}
