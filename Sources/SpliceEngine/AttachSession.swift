import SystemKit
import SpliceRuntime
import struct DockerModels.DetachKeys

/// One client attached to a container through its monitor: output frames relayed from a dedicated thread, stdin
/// forwarded until the detach keys.
struct AttachSession: Sendable {
    /// The container's id.
    let id: String
    /// Its state directory (the attach socket's home).
    let stateDirectory: String
    /// What the client asked for.
    let request: AttachRequest
    /// The detach sequence.
    let keys: DetachKeys
    /// Whether the client's stdin goes to the container (it asked for it and the container has `OpenStdin`).
    let forwardStdin: Bool
    /// Where output goes.
    let output: AsyncThrowingStream<AttachFrame, any Error>.Continuation

    /// Relays `connection`'s output until it ends, and `stdin` into it; `detached` runs when the client typed the
    /// detach keys.
    func run(_ connection: AttachConnection, stdin: AsyncStream<[UInt8]>?,
             detached: @escaping @Sendable () async -> Void) {
        let output = output
        let request = request
        KernelThread.detach {
            while let frame = try? connection.read() {
                if (frame.stream == .stderr && request.stderr) || (frame.stream == .stdout && request.stdout) {
                    output.yield(frame)
                }
            }
            output.finish()
            connection.close()
        }
        guard let stdin, forwardStdin else { return }
        let keys = keys
        Task {
            var matcher = DetachKeys.Matcher(keys)
            for await chunk in stdin {
                let (forward, detach) = matcher.feed(chunk)
                if !forward.isEmpty { _ = try? await BlockingWork.run { try connection.writeStdin(forward) } }
                if detach {
                    output.finish()
                    await BlockingWork.runQuietly { connection.close() }
                    await detached()
                    return
                }
            }
            _ = try? await BlockingWork.run { try connection.closeStdin() }
        }
    }
}
