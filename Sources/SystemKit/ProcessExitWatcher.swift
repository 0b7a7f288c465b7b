import CLinuxShims
import Glibc
import Synchronization

/// Tells when processes that are not our children exit, without polling: one `pidfd_open(2)` descriptor per
/// process, all waited on by a single dedicated thread with `epoll(7)`. A container engine watches each
/// container's monitor this way, however many containers run.
public final class ProcessExitWatcher: Sendable {
    /// The watcher of this process.
    public static let shared = ProcessExitWatcher()

    private let epoll: Int32
    private let handlers = Mutex<[Int32: @Sendable () -> Void]>([:])

    private init() {
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epoll >= 0 else { return }
        _ = KernelThread.detach { [self] in serve() }
    }

    /// Calls `handler` once, on the watcher's thread, when process `pid` has exited (at once, on the caller's
    /// thread, when it is already gone or cannot be watched: the caller then finds out what happened by itself).
    /// The handler must not block.
    public func watch(pid: Int32, _ handler: @escaping @Sendable () -> Void) {
        let fd = cls_pidfd_open(pid)
        guard fd >= 0, epoll >= 0 else {
            if fd >= 0 { close(fd) }
            handler()
            return
        }
        handlers.withLock { $0[fd] = handler }
        var event = epoll_event()
        event.events = EPOLLIN.rawValue | EPOLLONESHOT.rawValue
        event.data.fd = fd
        if epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event) != 0 {
            let removed = handlers.withLock { $0.removeValue(forKey: fd) }
            close(fd)
            removed?()
        }
    }

    /// The thread's loop: each readable pidfd is a process that exited.
    private func serve() {
        var events = [epoll_event](repeating: epoll_event(), count: 64)
        while true {
            let count = epoll_wait(epoll, &events, Int32(events.count), -1)
            if count < 0 {
                if Errno.current == .interrupted { continue }
                return
            }
            for index in 0..<Int(count) {
                let fd = events[index].data.fd
                _ = epoll_ctl(epoll, EPOLL_CTL_DEL, fd, nil)
                let handler = handlers.withLock { $0.removeValue(forKey: fd) }
                close(fd)
                handler?()
            }
        }
    }
}
