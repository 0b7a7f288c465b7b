import Glibc
import Synchronization
import SystemKit

/// A client of a running container's monitor, over `attach.sock` in its state directory: receives the live output
/// (from the moment of connecting), forwards stdin (when the container was started with `openStdin`) and resizes
/// its terminal. Blocking: use it from a dedicated thread, never from a concurrency thread. The wire protocol is
/// described at `AttachMessage`.
///
/// Thread-safety: `read` may run on one thread while `writeStdin`, `closeStdin` and `resize` run on another.
public final class AttachConnection: Sendable {
    private let socket: FileDescriptor
    /// The decoder state, used by `read` only.
    private let reader: Mutex<AttachMessageDecoder>
    /// Serialises whole frames from concurrent writers; true once stdin was closed.
    private let writer = Mutex(false)
    /// Whether the container has a TTY.
    public let tty: Bool
    /// Whether the container accepts stdin (`openStdin`).
    public let openStdin: Bool

    /// Connects to the monitor of the container whose state directory is `stateDirectory`. With `replay`, the
    /// output since the container started (the monitor keeps up to 1 MiB of it) comes first, so a client that
    /// attached before `start` (as `docker run -it` does) misses nothing; without it, only new output comes.
    /// This client counts as a stdin client (the first one of which ends the container's stdin with `stdinOnce`)
    /// when `stdin` is true.
    public static func connect(stateDirectory: String, replay: Bool = false, stdin: Bool = true) throws
        -> AttachConnection
    {
        let socket: FileDescriptor
        do {
            socket = try UnixSocket.connect(to: StateDirectory(stateDirectory).attachSocket)
        } catch {
            throw RuntimeError.system(error)
        }
        try send(AttachMessage.hello(replay: replay, stdin: stdin).encoded(), on: socket)
        var decoder = AttachMessageDecoder()
        guard let first = try receive(on: socket, into: &decoder) else {
            throw AttachProtocolError.unexpected("end of connection before the welcome")
        }
        guard case .welcome(let tty, let openStdin) = first else {
            throw AttachProtocolError.unexpected("\(first) instead of the welcome")
        }
        return AttachConnection(socket: socket, decoder: decoder, tty: tty, openStdin: openStdin)
    }

    private init(socket: FileDescriptor, decoder: AttachMessageDecoder, tty: Bool, openStdin: Bool) {
        self.socket = socket
        self.reader = Mutex(decoder)
        self.tty = tty
        self.openStdin = openStdin
    }

    /// The next piece of output; nil once the container's output has ended (it exited) or the connection closed.
    public func read() throws -> AttachFrame? {
        try reader.withLock { decoder throws -> AttachFrame? in
            while let message = try Self.receive(on: socket, into: &decoder) {
                switch message {
                case .output(let frame): return frame
                case .end: return nil
                default: throw AttachProtocolError.unexpected("\(message) from the monitor")
                }
            }
            return nil
        }
    }

    /// Sends `bytes` to the container's stdin. Fails when the container was not started with `openStdin`.
    public func writeStdin(_ bytes: [UInt8]) throws {
        guard openStdin else { throw RuntimeError.invalidSpec("the container was not started with openStdin") }
        try writer.withLock { closed throws in
            guard !closed else { throw RuntimeError.invalidSpec("stdin already closed") }
            try Self.send(AttachMessage.stdin(bytes).encoded(), on: socket)
        }
    }

    /// Ends this client's stdin; with `stdinOnce` the container's stdin closes (EOF) too.
    public func closeStdin() throws {
        try writer.withLock { closed throws in
            guard !closed else { return }
            closed = true
            try Self.send(AttachMessage.closeStdin.encoded(), on: socket)
        }
    }

    /// Sets the container's terminal size (no effect without a TTY).
    public func resize(_ size: TerminalSize) throws {
        try writer.withLock { _ throws in try Self.send(AttachMessage.resize(size).encoded(), on: socket) }
    }

    /// Disconnects; the container keeps running. A blocked `read` returns nil.
    public func close() {
        _ = shutdown(socket.rawValue, Int32(SHUT_RDWR))
    }

    private static func send(_ bytes: [UInt8], on socket: FileDescriptor) throws {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { raw in
                Glibc.send(
                    socket.rawValue, raw.baseAddress.map { $0 + offset }, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if count < 0 {
                if Errno.current == .interrupted { continue }
                throw RuntimeError.system(.current("send"))
            }
            offset += count
        }
    }

    /// The next message, reading as needed; nil at end of stream.
    private static func receive(on socket: FileDescriptor, into decoder: inout AttachMessageDecoder) throws
        -> AttachMessage?
    {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            if let message = try decoder.next() { return message }
            let count = chunk.withUnsafeMutableBytes { recv(socket.rawValue, $0.baseAddress, $0.count, 0) }
            if count < 0 {
                if Errno.current == .interrupted { continue }
                if Errno.current == Errno(rawValue: ECONNRESET) { return nil }
                throw RuntimeError.system(.current("recv"))
            }
            if count == 0 { return nil }
            decoder.feed(chunk[0..<count])
        }
    }
}
