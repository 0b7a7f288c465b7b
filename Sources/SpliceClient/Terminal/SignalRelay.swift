#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Turns asynchronous signals into bytes on a pipe (the self-pipe trick), so a session thread can react to
/// SIGWINCH and forward SIGINT/SIGTERM without doing anything unsafe in a handler. One relay at a time.
public final class SignalRelay {
    /// The pipe's write end, read by the handler (async-signal-safe: one atomic load and `write`).
    private static let writeEnd = Atomic<Int32>(-1)

    /// The pipe's read end; each byte is one delivered signal number.
    public let readEnd: Int32
    private let writeFD: Int32
    private var previous: [(Int32, sigaction)] = []
    private var active = true

    /// Installs handlers for `signals`; nil when another relay is active or no pipe can be made.
    public init?(_ signals: [Int32]) {
        guard let pair = PipePair.make(nonBlocking: true) else { return nil }
        let fds = [pair.read, pair.write]
        guard Self.writeEnd.compareExchange(expected: -1, desired: fds[1], ordering: .sequentiallyConsistent).exchanged
        else {
            close(fds[0])
            close(fds[1])
            return nil
        }
        readEnd = fds[0]
        writeFD = fds[1]
        for signal in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                let fd = SignalRelay.writeEnd.load(ordering: .relaxed)
                guard fd >= 0 else { return }
                var byte = UInt8(truncatingIfNeeded: number)
                let saved = errno
                _ = write(fd, &byte, 1)
                errno = saved
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            var old = sigaction()
            if sigaction(signal, &action, &old) == 0 { previous.append((signal, old)) }
        }
    }

    deinit { uninstall() }

    /// Puts the previous handlers back and closes the pipe (idempotent).
    public func uninstall() {
        guard active else { return }
        active = false
        for (signal, old) in previous.reversed() {
            var action = old
            sigaction(signal, &action, nil)
        }
        Self.writeEnd.store(-1, ordering: .sequentiallyConsistent)
        close(writeFD)
        close(readEnd)
    }

    /// Reads the signals delivered so far (non-blocking).
    public func drain() -> [Int32] {
        var buffer = [UInt8](repeating: 0, count: 64)
        var result: [Int32] = []
        while true {
            let count = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return result }
            result += buffer[0..<count].map { Int32($0) }
        }
    }

    /// docker's name for a signal number (`INT`, `TERM`, ...), as `kill?signal=` takes it.
    public static func name(_ signal: Int32) -> String {
        switch signal {
        case SIGHUP: return "HUP"
        case SIGINT: return "INT"
        case SIGQUIT: return "QUIT"
        case SIGTERM: return "TERM"
        case SIGUSR1: return "USR1"
        case SIGUSR2: return "USR2"
        case SIGWINCH: return "WINCH"
        case SIGCONT: return "CONT"
        default: return String(signal)
        }
    }
}
