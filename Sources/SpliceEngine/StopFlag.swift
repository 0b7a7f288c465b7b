import CLinuxShims
import Glibc
import Synchronization

/// A one-way flag that tells a dedicated thread to stop (the container stopped, the client left); the thread checks
/// it between rounds and can sleep on it, waking at once when it is raised.
public final class StopFlag: Sendable {
    private let raised = Atomic<Bool>(false)
    /// A pipe whose read end becomes readable when the flag is raised (-1 when no pipe could be made: then `wait`
    /// simply sleeps).
    private let wake: (read: Int32, write: Int32)

    /// Creates a lowered flag.
    public init() {
        var fds: [Int32] = [-1, -1]
        wake = cls_pipe_cloexec(&fds) == 0 ? (fds[0], fds[1]) : (-1, -1)
    }

    deinit {
        if wake.read >= 0 { close(wake.read) }
        if wake.write >= 0 { close(wake.write) }
    }

    /// Raises the flag and wakes a thread waiting in `wait`.
    public func raise() {
        guard !raised.exchange(true, ordering: .acquiringAndReleasing), wake.write >= 0 else { return }
        _ = write(wake.write, "x", 1)
    }

    /// Whether the flag was raised.
    public var isRaised: Bool { raised.load(ordering: .acquiring) }

    /// Sleeps up to `milliseconds`, or less once the flag is raised. Blocks: dedicated threads only.
    public func wait(milliseconds: Int32) {
        guard !isRaised else { return }
        guard wake.read >= 0 else {
            usleep(useconds_t(milliseconds) * 1000)
            return
        }
        var descriptor = pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0)
        _ = poll(&descriptor, 1, milliseconds)
    }
}
