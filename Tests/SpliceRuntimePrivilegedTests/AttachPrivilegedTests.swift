import Foundation
import Glibc
import SpliceRuntime
import Testing

@Suite(
    "TTY, stdin and the monitor's attach socket", .serialized,
    .enabled(if: canRunContainers, "needs root, busybox-static and a built splice-init; run: sudo swift test"))
struct AttachPrivilegedTests {
    @Test("with a TTY pid 1 sees /dev/pts/0 as a terminal on stdin, and its output is logged as stdout")
    func tty() throws {
        let lab = try ContainerLab("tty")
        var spec = lab.spec("tty", ["sh", "-c", "tty; [ -t 0 ] && echo is-a-tty; echo oops >&2"])
        spec.tty = true
        let (exit, lines) = try lab.run(spec)
        #expect(exit.exitCode == 0)
        #expect(lines.allSatisfy { $0.0 == "stdout" })
        // The terminal turns \n into \r\n, as with docker run -t.
        #expect(lab.stdout(lines) == "/dev/pts/0\r\nis-a-tty\r\noops\r\n")
    }

    @Test("without a TTY stdin is not a terminal")
    func noTTY() throws {
        let lab = try ContainerLab("notty")
        let (exit, lines) = try lab.run(lab.spec("notty", ["sh", "-c", "[ -t 0 ] && echo tty || echo no-tty; tty"]))
        #expect(exit.exitCode == 1)
        #expect(lab.stdout(lines) == "no-tty\nnot a tty\n")
    }

    @Test("consoleSize sets the terminal's size before pid 1 starts")
    func consoleSize() throws {
        let lab = try ContainerLab("size")
        var spec = lab.spec("size", ["stty", "size"])
        spec.tty = true
        spec.consoleSize = TerminalSize(rows: 30, columns: 100)
        let (exit, lines) = try lab.run(spec)
        #expect(exit.exitCode == 0)
        #expect(lab.stdout(lines) == "30 100\r\n")
    }

    @Test("stdin written through an attach connection reaches cat, and its echo comes back")
    func catEcho() throws {
        let lab = try ContainerLab("cat")
        var spec = lab.spec("cat", ["cat"])
        spec.openStdin = true
        let running = try lab.start(spec)
        let connection = try AttachConnection.connect(stateDirectory: running.stateDirectory)
        #expect(connection.openStdin && !connection.tty)
        try connection.writeStdin(Array("hello through stdin\n".utf8))
        #expect(OutputReader.collect(connection, until: "hello through stdin\n") == "hello through stdin\n")
        connection.close()
        try running.signal(SIGKILL)
        _ = try lab.wait(running)
        #expect(try lab.log("cat").map(\.1) == ["hello through stdin\n"])
    }

    @Test("a shell reads a line from an attached client and answers it")
    func readLine() throws {
        let lab = try ContainerLab("read")
        var spec = lab.spec("read", ["sh", "-c", "read x; echo got $x"])
        spec.openStdin = true
        let running = try lab.start(spec)
        let connection = try AttachConnection.connect(stateDirectory: running.stateDirectory)
        try connection.writeStdin(Array("abc\n".utf8))
        #expect(OutputReader.collect(connection) == "got abc\n")
        #expect(try lab.wait(running).exitCode == 0)
    }

    @Test("with stdinOnce the container's stdin ends when the first stdin client closes it")
    func stdinOnce() throws {
        let lab = try ContainerLab("once")
        var spec = lab.spec("once", ["sh", "-c", "cat; echo eof-seen"])
        spec.openStdin = true
        spec.stdinOnce = true
        let running = try lab.start(spec)
        let connection = try AttachConnection.connect(stateDirectory: running.stateDirectory)
        try connection.writeStdin(Array("x\n".utf8))
        try connection.closeStdin()
        #expect(OutputReader.collect(connection) == "x\neof-seen\n")
        #expect(try lab.wait(running).exitCode == 0)
    }

    @Test("with a TTY and stdinOnce, closing stdin sends the terminal's EOF")
    func stdinOnceTTY() throws {
        let lab = try ContainerLab("oncetty")
        var spec = lab.spec("oncetty", ["sh", "-c", "cat >/dev/null; echo eof-seen"])
        spec.tty = true
        spec.openStdin = true
        spec.stdinOnce = true
        let running = try lab.start(spec)
        let connection = try AttachConnection.connect(stateDirectory: running.stateDirectory, replay: true)
        try connection.writeStdin(Array("x\n".utf8))
        try connection.closeStdin()
        #expect(OutputReader.collect(connection).hasSuffix("eof-seen\r\n"))
        #expect(try lab.wait(running).exitCode == 0)
    }

    @Test("without stdinOnce a client closing its stdin leaves the container's open")
    func stdinStaysOpen() throws {
        let lab = try ContainerLab("open")
        var spec = lab.spec("open", ["sh", "-c", "cat; echo eof-seen"])
        spec.openStdin = true
        let running = try lab.start(spec)
        let first = try AttachConnection.connect(stateDirectory: running.stateDirectory)
        try first.writeStdin(Array("one\n".utf8))
        try first.closeStdin()
        first.close()
        let second = try AttachConnection.connect(stateDirectory: running.stateDirectory, replay: true)
        try second.writeStdin(Array("two\n".utf8))
        #expect(OutputReader.collect(second, until: "two\n") == "one\ntwo\n")
        second.close()
        try running.signal(SIGKILL)
        _ = try lab.wait(running)
        #expect(!lab.stdout(try lab.log("open")).contains("eof-seen"))
    }

    @Test("replay hands a late client the output produced before it connected; without replay it gets only new output")
    func replay() throws {
        let lab = try ContainerLab("replay")
        var spec = lab.spec("replay", ["sh", "-c", "echo early; echo also-early >&2; read x; echo late"])
        spec.openStdin = true
        let running = try lab.start(spec)
        for _ in 0..<250 where (try? lab.log("replay").count) != 2 { usleep(20_000) }
        let replaying = try AttachConnection.connect(stateDirectory: running.stateDirectory, replay: true)
        let live = try AttachConnection.connect(stateDirectory: running.stateDirectory, replay: false)
        try live.writeStdin(Array("go\n".utf8))
        let replayed = OutputReader.collect(until: nil, read: replaying.read, cancel: { replaying.close() })
        #expect(replayed.text == "early\nalso-early\nlate\n")
        #expect(replayed.streams == [.stdout, .stderr])
        #expect(OutputReader.collect(live) == "late\n")
        #expect(try lab.wait(running).exitCode == 0)
    }

    @Test("resize changes the terminal size that stty reports inside")
    func resize() throws {
        let lab = try ContainerLab("resize")
        var spec = lab.spec("resize", ["sh", "-c", "stty size; read x; stty size"])
        spec.tty = true
        spec.openStdin = true
        spec.consoleSize = TerminalSize(rows: 10, columns: 20)
        let running = try lab.start(spec)
        let connection = try AttachConnection.connect(stateDirectory: running.stateDirectory, replay: true)
        #expect(OutputReader.collect(connection, until: "10 20\r\n").hasSuffix("10 20\r\n"))
        try connection.resize(TerminalSize(rows: 40, columns: 132))
        try connection.writeStdin(Array("\n".utf8))
        #expect(OutputReader.collect(connection).hasSuffix("40 132\r\n"))
        #expect(try lab.wait(running).exitCode == 0)
    }

    @Test("several clients at once all get the output, and any of them can write stdin")
    func severalClients() throws {
        let lab = try ContainerLab("many")
        var spec = lab.spec("many", ["sh", "-c", "read a; echo got $a; read b; echo got $b"])
        spec.openStdin = true
        let running = try lab.start(spec)
        let clients = try (0..<3).map { _ in try AttachConnection.connect(stateDirectory: running.stateDirectory) }
        try clients[0].writeStdin(Array("one\n".utf8))
        try clients[2].writeStdin(Array("two\n".utf8))
        for client in clients { #expect(OutputReader.collect(client) == "got one\ngot two\n") }
        #expect(try lab.wait(running).exitCode == 0)
    }

    @Test("the attach socket is 0600 while the container runs and gone once it exited; stdin needs openStdin")
    func socketLifetime() throws {
        let lab = try ContainerLab("socket")
        let running = try lab.start(lab.spec("socket", ["sleep", "30"]))
        let path = StateDirectory(running.stateDirectory).attachSocket
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_mode & S_IFMT == S_IFSOCK && info.st_mode & 0o777 == 0o600)
        let connection = try AttachConnection.connect(stateDirectory: running.stateDirectory)
        #expect(!connection.openStdin)
        #expect(throws: RuntimeError.self) { try connection.writeStdin([0x0a]) }
        try running.signal(SIGKILL)
        #expect(try connection.read() == nil)
        #expect(try lab.wait(running).signal == SIGKILL)
        #expect(access(path, F_OK) != 0)
        #expect(throws: RuntimeError.self) { try AttachConnection.connect(stateDirectory: running.stateDirectory) }
        // The monitor exits right after it recorded the exit and removed the socket; give it a moment under load.
        var ended = false
        for _ in 0..<100 {
            ended = kill(running.monitorPid, 0) != 0 || Self.isZombie(running.monitorPid)
            if ended { break }
            usleep(50_000)
        }
        #expect(ended, "the monitor \(running.monitorPid) still runs 5 s after its container's exit")
    }

    @Test("a client that does not read is disconnected and the container is not held up")
    func slowClient() throws {
        let lab = try ContainerLab("slow")
        // 8 MiB of output, more than a client may have queued.
        let script = "head -c 8388608 /dev/zero | tr '\\0' x; echo; echo finished"
        let running = try lab.start(lab.spec("slow", ["sh", "-c", script]))
        let sleeper = try AttachConnection.connect(stateDirectory: running.stateDirectory)
        #expect(try lab.wait(running, timeout: 30).exitCode == 0)
        #expect(lab.stdout(try lab.log("slow")).hasSuffix("finished\n"))
        var received = 0
        while let frame = try? sleeper.read() { received += frame.bytes.count }
        #expect(received < 8 * 1024 * 1024)
    }

    static func isZombie(_ pid: Int32) -> Bool {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
        return text.split(separator: ")").last?.split(separator: " ").first == "Z"
    }
}
