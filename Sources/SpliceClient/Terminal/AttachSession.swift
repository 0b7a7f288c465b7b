import DockerModels
#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import SystemKit

/// One attached stream (`run -it`, `start -ai`, `attach`, `exec -it`) over a hijacked connection: output to the
/// console (raw with a TTY, demultiplexed stdcopy frames without), stdin forwarded from a dedicated thread,
/// the local terminal in raw mode for the duration, resizes on SIGWINCH, signals proxied when asked.
public final class AttachSession {
    /// How the session is wired.
    public struct Options: Sendable {
        /// Whether the stream is a TTY (raw bytes) rather than stdcopy frames.
        public var tty: Bool
        /// Where stdin comes from; nil when stdin is not attached (the write side is closed at once).
        public var stdinFD: Int32?
        /// The local terminal (put in raw mode with `tty`, measured for resizes); nil when there is none.
        public var terminalFD: Int32?
        /// The detach sequence, looked for in stdin with a TTY.
        public var detachKeys: [UInt8] = DetachKeys.standard.bytes
        /// Forward SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1 and SIGUSR2 to the container (no TTY only, as docker).
        public var proxySignals: Bool = false

        /// Creates options.
        public init(tty: Bool, stdinFD: Int32?, terminalFD: Int32?, detachKeys: [UInt8] = DetachKeys.standard.bytes,
                    proxySignals: Bool = false) {
            self.tty = tty
            self.stdinFD = stdinFD
            self.terminalFD = terminalFD
            self.detachKeys = detachKeys
            self.proxySignals = proxySignals
        }
    }

    /// How the session ended.
    public enum Outcome: Equatable, Sendable {
        /// The daemon closed the stream (the process exited or the container stopped).
        case ended
        /// The user typed the detach sequence; the container keeps running.
        case detached
        /// SIGTERM or SIGHUP ended a TTY session (the terminal is restored; the container keeps running).
        case signalled(Int32)
    }

    private let connection: SocketConnection
    private let options: Options
    private let console: Console
    private let resize: @Sendable ([Int]) -> Void
    private let forwardSignal: @Sendable (String) -> Void

    /// Creates a session over an upgraded `connection`; `resize` gets `[rows, columns]`, `forwardSignal` a name.
    public init(connection: SocketConnection, options: Options, console: Console,
                resize: @escaping @Sendable ([Int]) -> Void = { _ in },
                forwardSignal: @escaping @Sendable (String) -> Void = { _ in }) {
        self.connection = connection
        self.options = options
        self.console = console
        self.resize = resize
        self.forwardSignal = forwardSignal
    }

    /// Runs until the stream ends or the user detaches; the terminal is restored before this returns.
    public func run() -> Outcome {
        let socket = connection.descriptor
        guard let pair = PipePair.make() else {
            connection.shutdownWrite()
            pumpOutput()
            return .ended
        }
        let wake = [pair.read, pair.write]
        defer {
            close(wake[0])
            close(wake[1])
        }
        let detached = Atomic<Bool>(false)
        let endedBy = Atomic<Int32>(0)
        let raw = options.tty ? options.terminalFD.flatMap { TerminalMode(rawOn: $0) } : nil
        defer { raw?.restore() }

        var threads: [KernelThread] = []
        if let input = options.stdinFD {
            let sequence = options.tty ? options.detachKeys : nil
            let wakeRead = wake[0]
            let thread = KernelThread.start {
                if Self.pumpInput(from: input, to: socket, wake: wakeRead, detachKeys: sequence) {
                    detached.store(true, ordering: .sequentiallyConsistent)
                    _ = shutdown(socket, Int32(SHUT_RDWR))
                }
            }
            if let thread { threads.append(thread) } else { connection.shutdownWrite() }
        } else {
            connection.shutdownWrite()
        }

        var signals: [Int32] = []
        if options.tty, options.terminalFD != nil { signals.append(SIGWINCH) }
        if options.tty { signals += [SIGTERM, SIGHUP] }
        if options.proxySignals, !options.tty { signals += [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2] }
        let relay = signals.isEmpty ? nil : SignalRelay(signals)
        if let relay {
            let readEnd = relay.readEnd
            let wakeRead = wake[0]
            let terminal = options.terminalFD
            let proxy = options.proxySignals && !options.tty
            let resize = self.resize
            let forward = self.forwardSignal
            let wanted = Set(signals)
            let thread = KernelThread.start {
                Self.pumpSignals(readEnd: readEnd, wake: wakeRead) { signal in
                    guard wanted.contains(signal) else { return }
                    if signal == SIGWINCH {
                        if let terminal, let size = TerminalMode.size(of: terminal) { resize(size) }
                    } else if proxy {
                        forward(SignalRelay.name(signal))
                    } else {
                        // A TTY session asked to end: leave the container running, restore the terminal.
                        endedBy.store(signal, ordering: .sequentiallyConsistent)
                        _ = shutdown(socket, Int32(SHUT_RDWR))
                    }
                }
            }
            if let thread { threads.append(thread) }
        }

        pumpOutput()
        var byte: UInt8 = 1
        _ = write(wake[1], &byte, 1)
        for thread in threads { thread.join() }
        relay?.uninstall()
        if detached.load(ordering: .sequentiallyConsistent) { return .detached }
        let signal = endedBy.load(ordering: .sequentiallyConsistent)
        return signal == 0 ? .ended : .signalled(signal)
    }

    private func pumpOutput() {
        // A read error ends the output as the end of the stream does.
        let connection = connection
        try? SpliceCLI.copyStream({ () throws(ClientError) in try connection.readSome() }, tty: options.tty,
                                  console: console)
    }

    /// Copies `input` to `socket` until EOF (then half-closes), the detach sequence (returns true) or a wake-up.
    static func pumpInput(from input: Int32, to socket: Int32, wake: Int32, detachKeys: [UInt8]?) -> Bool {
        var detector = detachKeys.map { DetachKeys.Matcher(DetachKeys(bytes: $0)) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            var fds = [pollfd(fd: input, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return false
            }
            if fds[1].revents != 0 { return false }
            guard fds[0].revents != 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                _ = shutdown(socket, Int32(SHUT_WR))
                return false
            }
            if count == 0 {
                _ = shutdown(socket, Int32(SHUT_WR))
                return false
            }
            var bytes = Array(buffer[0..<count])
            var detach = false
            if var current = detector {
                (bytes, detach) = current.feed(bytes)
                detector = current
            }
            if !bytes.isEmpty, !sendAll(socket, bytes) { return false }
            if detach { return true }
        }
    }

    private static func sendAll(_ socket: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { send(socket, $0.baseAddress.map { $0 + offset }, bytes.count - offset,
                                                   Int32(MSG_NOSIGNAL)) }
            if sent < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += sent
        }
        return true
    }

    private static func pumpSignals(readEnd: Int32, wake: Int32, _ handle: (Int32) -> Void) {
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            var fds = [pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            if fds[1].revents != 0 { return }
            let count = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
            guard count > 0 else { continue }
            for byte in buffer[0..<count] { handle(Int32(byte)) }
        }
    }
}
