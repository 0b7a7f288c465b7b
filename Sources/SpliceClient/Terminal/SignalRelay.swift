#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Turns asynchronous signals into bytes on a pipe (the self-pipe trick), so a session thread can react to
/// SIGWINCH and forward SIGINT/SIGTERM without doing anything unsafe in a handler. Up to four relays may be
/// active at once (each sees every relayed signal it asked for); the process's previous handlers come back when
/// the last relay of a signal goes away.
public final class SignalRelay {
    // The handler reads these write ends with atomic loads and calls `write`, both async-signal-safe.
    private static let slot0 = Atomic<Int32>(-1)
    private static let slot1 = Atomic<Int32>(-1)
    private static let slot2 = Atomic<Int32>(-1)
    private static let slot3 = Atomic<Int32>(-1)
    private static let slotCount = 4

    /// Per signal: how many relays use it and the handler to restore after the last one.
    private static let installed = Mutex<[Int32: Installation]>([:])

    private struct Installation: @unchecked Sendable {
        // `sigaction` holds a C function pointer union; it is only copied under the mutex.
        var users: Int
        var previous: sigaction
    }

    /// The pipe's read end; each byte is one delivered signal number.
    public let readEnd: Int32
    private let writeFD: Int32
    private let slot: Int
    private let signals: Set<Int32>
    private var active = true

    /// Installs handlers for `signals`; nil when four relays are active or no pipe can be made.
    public init?(_ signals: [Int32]) {
        guard let pair = PipePair.make(nonBlocking: true) else { return nil }
        guard let slot = Self.claim(pair.write) else {
            close(pair.read)
            close(pair.write)
            return nil
        }
        readEnd = pair.read
        writeFD = pair.write
        self.slot = slot
        self.signals = Set(signals)
        Self.installed.withLock { table in
            for signal in self.signals {
                if var entry = table[signal] {
                    entry.users += 1
                    table[signal] = entry
                    continue
                }
                var action = sigaction()
                action.__sigaction_handler.sa_handler = { number in
                    let saved = errno
                    var byte = UInt8(truncatingIfNeeded: number)
                    // No allocation here: four explicit loads.
                    let fd0 = SignalRelay.slot0.load(ordering: .relaxed)
                    if fd0 >= 0 { _ = write(fd0, &byte, 1) }
                    let fd1 = SignalRelay.slot1.load(ordering: .relaxed)
                    if fd1 >= 0 { _ = write(fd1, &byte, 1) }
                    let fd2 = SignalRelay.slot2.load(ordering: .relaxed)
                    if fd2 >= 0 { _ = write(fd2, &byte, 1) }
                    let fd3 = SignalRelay.slot3.load(ordering: .relaxed)
                    if fd3 >= 0 { _ = write(fd3, &byte, 1) }
                    errno = saved
                }
                sigemptyset(&action.sa_mask)
                action.sa_flags = SA_RESTART
                var old = sigaction()
                if sigaction(signal, &action, &old) == 0 { table[signal] = Installation(users: 1, previous: old) }
            }
        }
    }

    deinit { uninstall() }

    private static func claim(_ fd: Int32) -> Int? {
        for index in 0..<slotCount {
            let exchanged: Bool
            switch index {
            case 0: exchanged = slot0.compareExchange(expected: -1, desired: fd, ordering: .acquiringAndReleasing).0
            case 1: exchanged = slot1.compareExchange(expected: -1, desired: fd, ordering: .acquiringAndReleasing).0
            case 2: exchanged = slot2.compareExchange(expected: -1, desired: fd, ordering: .acquiringAndReleasing).0
            default: exchanged = slot3.compareExchange(expected: -1, desired: fd, ordering: .acquiringAndReleasing).0
            }
            if exchanged { return index }
        }
        return nil
    }

    private static func release(_ index: Int) {
        switch index {
        case 0: slot0.store(-1, ordering: .sequentiallyConsistent)
        case 1: slot1.store(-1, ordering: .sequentiallyConsistent)
        case 2: slot2.store(-1, ordering: .sequentiallyConsistent)
        default: slot3.store(-1, ordering: .sequentiallyConsistent)
        }
    }

    /// Puts the previous handlers back when no other relay uses them, and closes the pipe (idempotent).
    public func uninstall() {
        guard active else { return }
        active = false
        Self.installed.withLock { table in
            for signal in signals {
                guard var entry = table[signal] else { continue }
                entry.users -= 1
                if entry.users > 0 {
                    table[signal] = entry
                } else {
                    sigaction(signal, &entry.previous, nil)
                    table[signal] = nil
                }
            }
        }
        Self.release(slot)
        close(writeFD)
        close(readEnd)
    }

    /// Reads the signals delivered so far that this relay asked for (non-blocking).
    public func drain() -> [Int32] {
        var buffer = [UInt8](repeating: 0, count: 64)
        var result: [Int32] = []
        while true {
            let count = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return result }
            result += buffer[0..<count].map { Int32($0) }.filter { signals.contains($0) }
        }
    }

    /// Whether this relay asked for `signal`.
    public func wants(_ signal: Int32) -> Bool { signals.contains(signal) }

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
