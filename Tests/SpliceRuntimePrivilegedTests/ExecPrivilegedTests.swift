import Foundation
import Glibc
import SpliceRuntime
import Synchronization
import Testing

@Suite(
    "exec: processes started inside a running container", .serialized,
    .enabled(if: canRunContainers, "needs root, busybox-static and a built splice-init; run: sudo swift test"))
struct ExecPrivilegedTests {
    /// Runs `spec` in `running` and returns its output and exit code.
    private func run(_ spec: ExecSpec, in running: RunningContainer, stdin: [UInt8]? = nil) throws
        -> (text: String, code: Int32, streams: Set<AttachFrame.Stream>)
    {
        let process = try ExecProcess.start(spec, containerPid: running.containerPid, initPath: ContainerLab.initBinary)
        if let stdin {
            try process.writeStdin(stdin)
            try process.closeStdin()
        }
        let output = OutputReader.collect(read: process.read, cancel: { process.signal(SIGKILL) })
        return (output.text, process.wait(), output.streams)
    }

    @Test("an exec joins the container's namespaces: its hostname, its pid 1, its filesystem")
    func namespaces() throws {
        let lab = try ContainerLab("exns")
        let running = try lab.start(lab.spec("exns", ["sleep", "60"]))
        let script = "hostname; cat /proc/1/cmdline | tr '\\0' ' '; echo; ls /bin/busybox"
        let result = try run(ExecSpec(command: ["sh", "-c", script]), in: running)
        #expect(result.code == 0)
        #expect(result.text == "exns\nsleep 60 \n/bin/busybox\n")
        let ps = try run(ExecSpec(command: ["ps", "-o", "pid,args"]), in: running)
        let rows = ps.text.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(rows.contains(["1", "sleep", "60"]))
        let process = try ExecProcess.start(ExecSpec(command: ["sleep", "30"]), containerPid: running.containerPid,
                                            initPath: ContainerLab.initBinary)
        for name in ["ipc", "uts", "net", "pid", "mnt"] {
            let container = try Self.namespace(name, of: running.containerPid)
            #expect(try Self.namespace(name, of: process.pid) == container, "\(name)")
        }
        #expect(try Self.namespace("pid", of: process.pid) != Self.namespace("pid", of: getpid()))
        process.signal(SIGKILL)
        #expect(process.wait() == 128 + SIGKILL)
    }

    @Test("an exec lands in the container's cgroup")
    func cgroup() throws {
        let lab = try ContainerLab("excg")
        let group = "/sys/fs/cgroup/pids/splice-rt-\(getpid())-excg"
        guard mkdir(group, 0o755) == 0 || errno == EEXIST else { throw LabError("mkdir \(group): \(errno)") }
        defer { _ = rmdir(group) }
        var spec = lab.spec("excg", ["sleep", "60"])
        spec.cgroupProcs = [group + "/cgroup.procs"]
        let running = try lab.start(spec)
        defer {
            try? running.signal(SIGKILL)
            _ = try? lab.wait(running)
        }
        let expected = "pids:/splice-rt-\(getpid())-excg"
        #expect(try String(contentsOfFile: "/proc/\(running.containerPid)/cgroup", encoding: .utf8).contains(expected))
        let process = try ExecProcess.start(ExecSpec(command: ["sh", "-c", "cat /proc/self/cgroup; sleep 5"]),
                                            containerPid: running.containerPid, initPath: ContainerLab.initBinary)
        let output = OutputReader.collect(until: expected, read: process.read, cancel: { process.signal(SIGKILL) })
        #expect(output.text.contains(expected))
        let procs = try String(contentsOfFile: group + "/cgroup.procs", encoding: .utf8)
        #expect(procs.split(separator: "\n").contains(Substring("\(process.pid)")))
        process.signal(SIGKILL)
        #expect(process.wait() == 128 + SIGKILL)
    }

    @Test("the environment, working directory and user apply; stdout and stderr stay apart")
    func environment() throws {
        let lab = try ContainerLab("exenv")
        let running = try lab.start(lab.spec("exenv", ["sleep", "60"]))
        let spec = ExecSpec(command: ["sh", "-c", "echo $FOO; pwd; id; echo err >&2"], environment: ["FOO=bar"],
                            workingDirectory: "/tmp", user: "1000:1000", additionalGroups: [10])
        let result = try run(spec, in: running)
        #expect(result.code == 0)
        #expect(result.text.contains("bar\n/tmp\nuid=1000 gid=1000 groups=10\n") && result.text.contains("err\n"))
        #expect(result.streams == [.stdout, .stderr])
    }

    @Test("the exit code propagates, and 128+N for a signal")
    func exitCode() throws {
        let lab = try ContainerLab("excode")
        let running = try lab.start(lab.spec("excode", ["sleep", "60"]))
        #expect(try run(ExecSpec(command: ["sh", "-c", "exit 5"]), in: running).code == 5)
        #expect(try run(ExecSpec(command: ["sh", "-c", "kill -TERM $$"]), in: running).code == 128 + SIGTERM)
    }

    @Test("a signal sent while another thread waits is forwarded by splice-init exec to the process")
    func signalWhileWaiting() throws {
        let lab = try ContainerLab("exsig")
        let running = try lab.start(lab.spec("exsig", ["sleep", "60"]))
        let process = try ExecProcess.start(ExecSpec(command: ["sleep", "30"]), containerPid: running.containerPid,
                                            initPath: ContainerLab.initBinary)
        let code = Mutex<Int32?>(nil)
        let waiter = Thread { code.withLock { $0 = process.wait() } }
        waiter.start()
        usleep(200_000)
        process.signal(SIGTERM)
        for _ in 0..<250 where code.withLock({ $0 }) == nil { usleep(20_000) }
        #expect(code.withLock { $0 } == 128 + SIGTERM)
        if code.withLock({ $0 }) == nil { process.signal(SIGKILL) }
    }

    @Test("an unknown command or working directory fails start with Docker's words")
    func unknownCommand() throws {
        let lab = try ContainerLab("exnope")
        let running = try lab.start(lab.spec("exnope", ["sleep", "60"]))
        #expect {
            try ExecProcess.start(ExecSpec(command: ["nope"]), containerPid: running.containerPid,
                                  initPath: ContainerLab.initBinary)
        } throws: { error in
            "\(error)" == "OCI runtime exec failed: exec failed: unable to start container process: "
                + #"exec: "nope": executable file not found in $PATH"#
        }
        #expect {
            try ExecProcess.start(ExecSpec(command: ["ls"], workingDirectory: "/nowhere"),
                                  containerPid: running.containerPid, initPath: ContainerLab.initBinary)
        } throws: { error in
            "\(error)".hasSuffix(#"chdir to cwd ("/nowhere") set in config.json failed: no such file or directory"#)
        }
    }

    @Test("stdin reaches the exec and closing it is EOF")
    func stdin() throws {
        let lab = try ContainerLab("exin")
        let running = try lab.start(lab.spec("exin", ["sleep", "60"]))
        let result = try run(ExecSpec(command: ["sh", "-c", "cat; echo end"], openStdin: true), in: running,
                             stdin: Array("piped\n".utf8))
        #expect(result.code == 0 && result.text == "piped\nend\n")
    }

    @Test("exec with a TTY gets a terminal in the container's /dev/pts with the asked size")
    func tty() throws {
        let lab = try ContainerLab("extty")
        let running = try lab.start(lab.spec("extty", ["sleep", "60"]))
        let spec = ExecSpec(command: ["sh", "-c", "tty; stty size; [ -t 0 ] && echo is-a-tty"], tty: true,
                            consoleSize: TerminalSize(rows: 25, columns: 90))
        let result = try run(spec, in: running)
        #expect(result.code == 0)
        #expect(result.text == "/dev/pts/0\r\n25 90\r\nis-a-tty\r\n")
    }

    @Test("exec with a TTY and stdin: resize reaches stty")
    func ttyResize() throws {
        let lab = try ContainerLab("exrs")
        let running = try lab.start(lab.spec("exrs", ["sleep", "60"]))
        let process = try ExecProcess.start(
            ExecSpec(command: ["sh", "-c", "read x; stty size"], tty: true, openStdin: true),
            containerPid: running.containerPid, initPath: ContainerLab.initBinary)
        try process.resize(TerminalSize(rows: 33, columns: 77))
        try process.writeStdin(Array("go\n".utf8))
        let output = OutputReader.collect(read: process.read, cancel: { process.signal(SIGKILL) })
        #expect(output.text.hasSuffix("33 77\r\n"))
        #expect(process.wait() == 0)
    }

    @Test("nothing leaks: no descriptor in this process, no process in the container's pid namespace, no socket")
    func noLeaks() throws {
        let lab = try ContainerLab("exleak")
        var spec = lab.spec("exleak", ["sh", "-c", "read x; echo bye"])
        spec.openStdin = true
        spec.tty = true
        let before = Self.descriptors()
        let running = try lab.start(spec)
        let pidNamespace = try Self.namespace("pid", of: running.containerPid)
        do {
            let tty = try run(ExecSpec(command: ["sh", "-c", "echo hi"], tty: true, openStdin: true), in: running)
            #expect(tty.code == 0 && tty.text == "hi\r\n")
            let piped = try run(ExecSpec(command: ["cat"], openStdin: true), in: running, stdin: [0x61])
            #expect(piped.code == 0 && piped.text == "a")
            #expect(throws: RuntimeError.self) {
                try ExecProcess.start(ExecSpec(command: ["nope"]), containerPid: running.containerPid,
                                      initPath: ContainerLab.initBinary)
            }
            let connection = try AttachConnection.connect(stateDirectory: running.stateDirectory)
            try connection.writeStdin(Array("\n".utf8))
            #expect(OutputReader.collect(connection).hasSuffix("bye\r\n"))
        }
        #expect(try lab.wait(running).exitCode == 0)
        #expect(Self.descriptors().subtracting(before).isEmpty)
        #expect(access(StateDirectory(running.stateDirectory).attachSocket, F_OK) != 0)
        let inside = try FileManager.default.contentsOfDirectory(atPath: "/proc").filter { entry in
            guard Int32(entry) != nil else { return false }
            return (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(entry)/ns/pid")) == pidNamespace
        }
        #expect(inside.isEmpty)
    }

    /// This process's open descriptors and what they point at.
    static func descriptors() -> Set<String> {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return Set(entries.compactMap { entry in
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + entry)).map { entry + " " + $0 }
        })
    }

    static func namespace(_ name: String, of pid: Int32) throws -> String {
        try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/ns/\(name)")
    }
}
