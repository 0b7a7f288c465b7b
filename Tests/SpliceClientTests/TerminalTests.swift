import DockerModels
import Foundation
import Synchronization
import Testing
@testable import SpliceClient
import APITestSupport

/// Polls `condition` every 10 ms for up to `seconds`.
func eventually(_ seconds: Double = 5, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(10_000)
    }
    return condition()
}

/// Reads what is available on `fd` within `seconds` (empty at EOF or timeout).
func readAvailable(_ fd: Int32, seconds: Double = 5) -> [UInt8]? {
    var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    guard poll(&descriptor, 1, Int32(seconds * 1000)) > 0 else { return [] }
    var buffer = [UInt8](repeating: 0, count: 4096)
    let count = read(fd, &buffer, buffer.count)
    return count <= 0 ? nil : Array(buffer[0..<count])
}

/// A pty pair standing in for the user's terminal (the slave is what the CLI sees), and a socketpair standing in
/// for the hijacked daemon connection.
final class TerminalRig: @unchecked Sendable {
    // Only fds (immutable after init); the session runs on its own thread and owns `client`.
    let master: Int32
    let slave: Int32
    let daemon: Int32
    let client: Int32
    let console = CapturedConsole()
    let resizes = Mutex<[[Int]]>([])
    let signals = Mutex<[String]>([])

    init() throws {
        var master: Int32 = -1
        var slave: Int32 = -1
        var size = winsize(ws_row: 24, ws_col: 80, ws_xpixel: 0, ws_ypixel: 0)
        guard openpty(&master, &slave, nil, nil, &size) == 0 else { throw POSIXError(.ENXIO) }
        var pair: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0 else { throw POSIXError(.EMFILE) }
        self.master = master
        self.slave = slave
        daemon = pair[0]
        client = pair[1]
    }

    deinit {
        close(master)
        close(slave)
        close(daemon)
    }

    var slaveIsRaw: Bool {
        var settings = termios()
        tcgetattr(slave, &settings)
        return settings.c_lflag & tcflag_t(ICANON | ECHO) == 0
    }

    func type(_ bytes: [UInt8]) { _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) } }

    /// Runs a session over the rig on its own thread; the session owns and closes the client socket.
    func start(tty: Bool, stdin: Int32?, proxySignals: Bool = false) -> Task<AttachSession.Outcome, any Error> {
        let options = AttachSession.Options(tty: tty, stdinFD: stdin, terminalFD: tty ? slave : nil,
                                            proxySignals: proxySignals)
        let client = self.client
        return Task {
            try await offPool {
                AttachSession(connection: SocketConnection(adopting: client), options: options,
                              console: self.console.console,
                              resize: { size in self.resizes.withLock { $0.append(size) } },
                              forwardSignal: { name in self.signals.withLock { $0.append(name) } }).run()
            }
        }
    }
}

@Suite("Terminal: detach keys, raw mode on a real pty, SIGWINCH, stdcopy", .serialized)
struct TerminalTests {
    @Test func detachKeySpellings() {
        #expect(DetachKeys.bytes(docker: "ctrl-p,ctrl-q") == [0x10, 0x11])
        #expect(DetachKeys.bytes(docker: "ctrl-@,a,CTRL-Z") == [0x00, 0x61, 0x1A])
        #expect(DetachKeys.bytes(docker: "ctrl-\\,ctrl-_") == [0x1C, 0x1F])
        // Unknown keys fall back to Ctrl-P Ctrl-Q, as the docker CLI does.
        #expect(DetachKeys.bytes(docker: "ctrl-1") == [0x10, 0x11])
        #expect(DetachKeys.bytes(docker: "esc") == [0x10, 0x11])
    }

    @Test func detachSequenceAcrossReads() {
        var keys = DetachKeys.Matcher(.standard)
        #expect(keys.feed([0x61, 0x10]) == ([0x61], false))
        #expect(keys.feed([0x11]) == ([], true))
        #expect(keys.feed([0x10, 0x62]) == ([0x10, 0x62], false))
        #expect(keys.feed([0x10, 0x10, 0x11, 0x63]) == ([0x10], true))
        var custom = DetachKeys.Matcher(DetachKeys(bytes: [0x18, 0x78]))
        #expect(custom.feed(Array("ax".utf8)) == (Array("ax".utf8), false))
        #expect(custom.feed([0x18, 0x78]) == ([], true))
    }

    @Test func ttySessionRawModeResizeAndDetach() async throws {
        let rig = try TerminalRig()
        let session = rig.start(tty: true, stdin: rig.slave)
        #expect(eventually { rig.slaveIsRaw }, "the local terminal goes raw while attached")
        // Output from the container reaches the console untouched.
        _ = write(rig.daemon, "\r/ # ", 5)
        #expect(eventually { rig.console.stdout == "\r/ # " })
        // Keystrokes go to the daemon as typed (raw: no echo, no CR→NL).
        rig.type(Array("echo hi\r".utf8))
        #expect(readAvailable(rig.daemon) == Array("echo hi\r".utf8))
        // Ctrl-P followed by anything else passes through, both bytes.
        rig.type([0x10, 0x78])
        var passed: [UInt8] = []
        _ = eventually { passed += readAvailable(rig.daemon, seconds: 0.05) ?? []; return passed.count >= 2 }
        #expect(passed == [0x10, 0x78])
        // SIGWINCH after the terminal changes size sends the new size.
        var size = winsize(ws_row: 30, ws_col: 100, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(rig.master, UInt(TIOCSWINSZ), &size)
        #expect(eventually {
            kill(getpid(), SIGWINCH)
            return rig.resizes.withLock { $0.contains([30, 100]) }
        })
        // Ctrl-P Ctrl-Q detaches: never sent, the connection closes, the terminal comes back.
        rig.type([0x10, 0x11])
        #expect(try await session.value == .detached)
        #expect(readAvailable(rig.daemon) == nil, "the daemon sees EOF and no detach bytes")
        #expect(!rig.slaveIsRaw, "termios restored")
        #expect(rig.console.stdout == "\r/ # ", "nothing extra printed on detach")
    }

    @Test func ttySessionEndsWhenTheContainerExits() async throws {
        let rig = try TerminalRig()
        let session = rig.start(tty: true, stdin: rig.slave)
        #expect(eventually { rig.slaveIsRaw })
        rig.type(Array("exit 4\r".utf8))
        #expect(readAvailable(rig.daemon) == Array("exit 4\r".utf8))
        _ = write(rig.daemon, "exit 4\r\n", 8)
        shutdown(rig.daemon, Int32(SHUT_RDWR))
        // The stdin thread is still blocked on the terminal: the session must not wait for a keystroke.
        #expect(try await session.value == .ended)
        #expect(rig.console.stdout == "exit 4\r\n")
        #expect(!rig.slaveIsRaw)
    }

    @Test func sigtermEndsATTYSessionAndRestoresTheTerminal() async throws {
        let rig = try TerminalRig()
        let session = rig.start(tty: true, stdin: rig.slave)
        #expect(eventually { rig.slaveIsRaw })
        var current = sigaction()
        #expect(eventually {
            sigaction(SIGTERM, nil, &current)
            return unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) > 1
        }, "the session handles SIGTERM while the terminal is raw")
        kill(getpid(), SIGTERM)
        #expect(try await session.value == .signalled(SIGTERM))
        #expect(!rig.slaveIsRaw)
        sigaction(SIGTERM, nil, &current)
        #expect(unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) == 0, "SIG_DFL is back")
    }

    @Test func execITThroughTheAPIDetachesAndResizes() async throws {
        let server = try await TestServer.start()
        defer { Task { try? await server.stop() } }
        let rig = try TerminalRig()
        let typing = Task {
            // Type the detach keys once the command has put the terminal in raw mode.
            #expect(eventually(10, { rig.slaveIsRaw }), "exec -it puts the terminal in raw mode")
            rig.type([0x10, 0x11])
        }
        let result = try await server.splice(["exec", "-it", "cap_main", "sh"], stdin: rig.slave, terminal: rig.slave)
        await typing.value
        #expect(result.stdout == "hello world\noops\n", "raw TTY output, no frames")
        #expect(result.stderr == "read escape sequence\n")
        #expect(result.status == 1)
        #expect(!rig.slaveIsRaw)
        let calls = server.engine.calls
        #expect(calls.contains { $0.hasPrefix("resizeExec(") && $0.hasSuffix(", 24x80)") })
        #expect(calls.contains { $0.contains("tty: true, stdin: true, detach: false") })
        #expect(!calls.contains { $0.hasPrefix("exec(") }, "no exit code is read after a detach")
    }

    @Test func plainSessionDemultiplexesAndHalfCloses() async throws {
        let rig = try TerminalRig()
        let stdin = try StdinPipe("piped input")
        let session = rig.start(tty: false, stdin: stdin.fd, proxySignals: true)
        var received: [UInt8] = []
        #expect(eventually {
            guard let piece = readAvailable(rig.daemon, seconds: 0.05) else { return true }
            received += piece
            return false
        }, "stdin is copied, then the write side is half-closed")
        #expect(received == Array("piped input".utf8))
        // With signal proxying the handler is in place while attached; a signal becomes a kill request.
        var current = sigaction()
        #expect(eventually {
            sigaction(SIGUSR1, nil, &current)
            return unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) > 1
        })
        kill(getpid(), SIGUSR1)
        #expect(eventually { rig.signals.withLock { $0 == ["USR1"] } })
        let frames = StdcopyFrameBytes.frame(1, "out\n") + StdcopyFrameBytes.frame(2, "err\n")
        _ = frames.withUnsafeBytes { write(rig.daemon, $0.baseAddress, $0.count) }
        shutdown(rig.daemon, Int32(SHUT_RDWR))
        #expect(try await session.value == .ended)
        #expect(rig.console.stdout == "out\n" && rig.console.stderr == "err\n")
        sigaction(SIGUSR1, nil, &current)
        #expect(unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) == 0, "SIG_DFL is back")
    }
}

/// stdcopy frames for the tests.
enum StdcopyFrameBytes {
    static func frame(_ stream: UInt8, _ text: String) -> [UInt8] {
        let payload = Array(text.utf8)
        let length = UInt32(payload.count)
        return [stream, 0, 0, 0, UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF),
                UInt8(length & 0xFF)] + payload
    }
}
