import Glibc
import Logging
import SystemKit

extension ContainerEngine {
    /// Undoes what a failed (or interrupted) start of container `id` made, last made first: its pid 1 killed and
    /// its cgroup removed (one `Transaction`, on a kernel thread), then its network released (made first; the
    /// network service's work is async). A "missing" object is success; what could not be undone is logged, and
    /// the start reports its own error.
    func rollBackStart(_ id: String, _ made: StartProgress) async {
        let failures: [String]
        do {
            failures = try await BlockingWork.run {
                var transaction = made.kernelSteps(of: id)
                return transaction.rollback()
            }
        } catch {
            // No thread could be made: at least its pid 1 is killed, as a start always did.
            try? made.process?.signal(SIGKILL)
            failures = ["no thread to undo the start on: \(error)"]
        }
        if let mode = made.network { await network?.release(id: id, mode: mode) }
        guard !failures.isEmpty else { return }
        configuration.logger.warning("a failed start was not wholly undone", metadata: [
            "container": "\(id)", "failures": "\(failures.joined(separator: "; "))",
        ])
    }
}
