import CLinuxShims
import Glibc
import SystemKit

/// The monitor's single-threaded poll loop: copies the container's output to the json-file log, to the replay
/// buffer and to every attached client, feeds clients' stdin to the container and applies resizes (the protocol is
/// described at `AttachMessage`). It never blocks on a client or on the container's stdin.
final class AttachServer {
    /// Above this much unwritten stdin, clients' sockets are not read (backpressure instead of unbounded memory).
    static let stdinBacklogLimit = 256 * 1024

    private let container: MonitoredContainer
    private var outputs: [(fd: FileDescriptor, stream: AttachFrame.Stream, splitter: LogLineSplitter)]
    private var clients: [AttachClient] = []
    private var replay: [[UInt8]] = []
    private var replayHead = 0
    private var replayBytes = 0
    private var stdinPending: [UInt8] = []
    /// Whether clients' stdin still reaches the container.
    private var stdinAccepting: Bool
    /// With `stdinOnce`, the container's stdin ends once the pending bytes are written.
    private var stdinEnding = false
    private var stdinOwner: ObjectIdentifier?
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    /// Whether any client has said hello.
    private var greetedAny = false

    private enum Source {
        case output(Int)
        case listener
        case stdin
        case client(AttachClient)
    }

    /// Serves `container`.
    init(container: MonitoredContainer) {
        self.container = container
        outputs = container.outputs.map { ($0.fd, $0.stream, LogLineSplitter()) }
        stdinAccepting = container.stdin != nil
    }

    /// How long an ended container's monitor waits for the client `awaitAttach` announced.
    static let attachWaitSeconds = 5.0

    /// Runs until the container's output has ended (and, with `awaitAttach`, a client has been greeted or the wait
    /// is over), then sends every client the end and disconnects them.
    func run() {
        var deadline: Double?
        while true {
            var timeout: Int32 = -1
            if outputs.isEmpty {
                guard container.awaitAttach && !greetedAny else { break }
                let end = deadline ?? monotonicSeconds() + Self.attachWaitSeconds
                deadline = end
                let remaining = end - monotonicSeconds()
                if remaining <= 0 { break }
                timeout = Int32(remaining * 1000) + 1
            }
            var polls: [pollfd] = []
            var sources: [Source] = []
            func watch(_ fd: Int32, _ events: Int32, _ source: Source) {
                polls.append(pollfd(fd: fd, events: Int16(events), revents: 0))
                sources.append(source)
            }
            for (index, output) in outputs.enumerated() { watch(output.fd.rawValue, POLLIN, .output(index)) }
            watch(container.listener.rawValue, POLLIN, .listener)
            if let stdin = container.stdin, !stdinPending.isEmpty { watch(stdin.rawValue, POLLOUT, .stdin) }
            let reading = stdinPending.count < Self.stdinBacklogLimit
            for client in clients {
                let events = (reading ? POLLIN : 0) | (client.backlog > 0 ? POLLOUT : 0)
                watch(client.socket.rawValue, Int32(events), .client(client))
            }
            if poll(&polls, nfds_t(polls.count), timeout) < 0 {
                if Errno.current == .interrupted { continue }
                FileHandleWriter.standardError("splice-init: poll: \(Errno.current)\n")
                break
            }
            var ended: [Int] = []
            for (index, source) in sources.enumerated() where polls[index].revents != 0 {
                switch source {
                case .output(let output): if !readOutput(output) { ended.append(output) }
                case .listener: accept()
                case .stdin: writeStdin()
                case .client(let client):
                    // Disconnected earlier in this round (while broadcasting): nothing more from it.
                    guard clients.contains(where: { $0 === client }) else { continue }
                    if polls[index].revents & Int16(POLLOUT) != 0 && !client.flush() { disconnect(client) }
                    if polls[index].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 { receive(from: client) }
                }
            }
            for index in ended.sorted().reversed() { outputs.remove(at: index) }
        }
        finish()
    }

    /// Reads once from output `index`; false at its end.
    private func readOutput(_ index: Int) -> Bool {
        let fd = outputs[index].fd.rawValue
        let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        if count < 0 && (Errno.current == .interrupted || Errno.current == .tryAgain) { return true }
        if count <= 0 {
            // EIO from a terminal's master means every slave is closed: the end.
            if let rest = outputs[index].splitter.finish() { append(rest, stream: outputs[index].stream) }
            return false
        }
        let bytes = Array(buffer[0..<count])
        for record in outputs[index].splitter.feed(bytes) { append(record, stream: outputs[index].stream) }
        broadcast(AttachMessage.output(AttachFrame(stream: outputs[index].stream, bytes: bytes)).encoded())
        return true
    }

    private func append(_ record: [UInt8], stream: AttachFrame.Stream) {
        let name = stream == .stdout ? "stdout" : "stderr"
        guard let log = container.log else { return }
        try? log.write(Array(JSONLogLine.encode(record, stream: name, time: JSONLogLine.now()).utf8))
    }

    /// Keeps `frame` for replay and queues it for every greeted client, disconnecting those too far behind.
    private func broadcast(_ frame: [UInt8]) {
        replay.append(frame)
        replayBytes += frame.count
        while replayBytes > AttachMessage.replayLimit && replayHead < replay.count {
            replayBytes -= replay[replayHead].count
            replayHead += 1
        }
        if replayHead > 1024 && replayHead * 2 > replay.count {
            replay.removeFirst(replayHead)
            replayHead = 0
        }
        for client in clients where client.greeted {
            client.queue(frame)
            if client.backlog > AttachMessage.clientBacklogLimit || !client.flush() { disconnect(client) }
        }
    }

    private func accept() {
        // Single-threaded and never forking here: setting the flags after accept cannot race.
        let fd = Glibc.accept(container.listener.rawValue, nil, nil)
        if fd < 0 { return }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        _ = cls_set_nonblocking(fd, 1)
        clients.append(AttachClient(socket: FileDescriptor(owning: fd)))
    }

    private func receive(from client: AttachClient) {
        let count = buffer.withUnsafeMutableBytes { raw in
            recv(client.socket.rawValue, raw.baseAddress, raw.count, Int32(MSG_DONTWAIT))
        }
        if count < 0 && (Errno.current == .interrupted || Errno.current == .tryAgain) { return }
        if count <= 0 {
            disconnect(client)
            return
        }
        client.decoder.feed(buffer[0..<count])
        do {
            while let message = try client.decoder.next() {
                handle(message, from: client)
            }
        } catch {
            FileHandleWriter.standardError("splice-init: attach client: \(error)\n")
            disconnect(client)
        }
    }

    private func handle(_ message: AttachMessage, from client: AttachClient) {
        switch message {
        case .hello(let wantsReplay, let stdin):
            guard !client.greeted else { return }
            client.greeted = true
            greetedAny = true
            let welcome = AttachMessage.welcome(tty: container.terminal != nil, openStdin: container.stdin != nil)
            client.queue(welcome.encoded())
            if wantsReplay { for frame in replay[replayHead...] { client.queue(frame) } }
            if stdin {
                client.sendsStdin = true
                if stdinOwner == nil { stdinOwner = ObjectIdentifier(client) }
            }
            if !client.flush() { disconnect(client) }
        case .stdin(let bytes):
            guard client.sendsStdin, stdinAccepting, !stdinEnding else { return }
            stdinPending += bytes
            writeStdin()
        case .closeStdin:
            endStdin(of: client)
        case .resize(let size):
            if let terminal = container.terminal { _ = cls_set_window_size(terminal.rawValue, size.rows, size.columns) }
        case .welcome, .output, .end:
            disconnect(client)
        }
    }

    /// This client's stdin ended; with `stdinOnce` and the first stdin client, so does the container's.
    private func endStdin(of client: AttachClient) {
        guard client.sendsStdin else { return }
        client.sendsStdin = false
        if container.stdinOnce && stdinOwner == ObjectIdentifier(client) && stdinAccepting {
            stdinEnding = true
            if let terminal = container.terminal {
                stdinPending.append(UInt8(truncatingIfNeeded: cls_terminal_eof_char(terminal.rawValue)))
            }
            writeStdin()
        }
    }

    /// Writes pending stdin without blocking; closes the pipe once everything is written after `stdinOnce` ended it.
    private func writeStdin() {
        guard let stdin = container.stdin else { return }
        while !stdinPending.isEmpty {
            let count = stdinPending.withUnsafeBytes { Glibc.write(stdin.rawValue, $0.baseAddress, $0.count) }
            if count < 0 {
                if Errno.current == .interrupted { continue }
                if Errno.current == .tryAgain { return }
                // The container closed its end (EPIPE) or the terminal is gone: drop what cannot arrive.
                stdinPending = []
                break
            }
            stdinPending.removeFirst(count)
        }
        if stdinEnding && stdinAccepting {
            stdinAccepting = false
            if container.terminal == nil { closeStdinPipe(stdin) }
        }
    }

    /// Closes the pipe's write end (the container reads EOF) while keeping the descriptor number valid for its
    /// owner: `/dev/null` is dup'ed over it.
    private func closeStdinPipe(_ stdin: FileDescriptor) {
        let null = open("/dev/null", O_WRONLY | O_CLOEXEC)
        if null >= 0 {
            _ = dup2(null, stdin.rawValue)
            _ = fcntl(stdin.rawValue, F_SETFD, FD_CLOEXEC)
            close(null)
        }
    }

    private func disconnect(_ client: AttachClient) {
        guard let index = clients.firstIndex(where: { $0 === client }) else { return }
        clients.remove(at: index)
        endStdin(of: client)
    }

    /// Sends the end to every client, gives them up to two seconds to take what is queued, and disconnects them.
    private func finish() {
        for client in clients where client.greeted { client.queue(AttachMessage.end.encoded()) }
        let deadline = monotonicSeconds() + 2
        var waiting = clients.filter { $0.flush() && $0.backlog > 0 }
        while !waiting.isEmpty {
            let remaining = deadline - monotonicSeconds()
            if remaining <= 0 { break }
            var polls = waiting.map { pollfd(fd: $0.socket.rawValue, events: Int16(POLLOUT), revents: 0) }
            if poll(&polls, nfds_t(polls.count), Int32(remaining * 1000) + 1) < 0 && Errno.current != .interrupted {
                break
            }
            waiting = waiting.filter { $0.flush() && $0.backlog > 0 }
        }
        for client in clients { _ = shutdown(client.socket.rawValue, Int32(SHUT_RDWR)) }
        clients = []
    }

    private func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
