import Foundation
import Glibc
import SpliceRuntime
import Testing

@Suite(
    "Starts through splice-init serve (a fork per container instead of an exec)", .serialized,
    .enabled(if: canRunContainers, "needs root, busybox-static and a built splice-init; run: sudo swift test"))
struct InitServerTests {
    @Test("output, exit code and clean signals, as a spawned splice-init gives them")
    func startsThroughTheServer() throws {
        let lab = try ContainerLab("serve")
        lab.launcher = InitLauncher(initPath: ContainerLab.initBinary, servedDirectory: lab.directory)
        let command = "echo hello; grep -e SigIgn -e SigBlk /proc/self/status; exit 5"
        let (exit, lines) = try lab.run(lab.spec("serve", ["sh", "-c", command]))
        #expect(exit.exitCode == 5)
        #expect(lab.stdout(lines) == "hello\nSigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n")
        #expect(lab.launcher?.serverPID != nil, "the start went through a server")
        #expect {
            try lab.start(lab.spec("missing", ["/no/such/program"]))
        } throws: { error in
            guard case RuntimeError.startFailed(let reason) = error else { return false }
            return reason.contains("no such file or directory")
        }
    }

    @Test("the monitor's command line names its state directory, as ps and pgrep -f show it")
    func monitorCommandLine() throws {
        let lab = try ContainerLab("serve-ps")
        lab.launcher = InitLauncher(initPath: ContainerLab.initBinary, servedDirectory: lab.directory)
        let running = try lab.start(lab.spec("ps", ["sleep", "1000"]))
        let line = try String(contentsOfFile: "/proc/\(running.monitorPid)/cmdline", encoding: .utf8)
        #expect(line.split(separator: "\0") == ["splice-init", Substring(lab.state("ps")), "--report-fd", "3"])
        try running.signal(SIGKILL)
        #expect(try lab.wait(running).signal == SIGKILL)
    }

    @Test("a killed server is replaced at the next start; stop reaps it")
    func killedServerIsReplaced() throws {
        let lab = try ContainerLab("serve-kill")
        let launcher = InitLauncher(initPath: ContainerLab.initBinary, servedDirectory: lab.directory)
        lab.launcher = launcher
        #expect(try lab.run(lab.spec("first", ["true"])).exit.exitCode == 0)
        let first = try #require(launcher.serverPID)
        kill(first, SIGKILL)
        usleep(50_000)
        #expect(try lab.run(lab.spec("second", ["true"])).exit.exitCode == 0)
        let second = try #require(launcher.serverPID)
        #expect(second != first)
        #expect(kill(first, 0) != 0, "the killed server was reaped")
        launcher.stop()
        #expect(launcher.serverPID == nil)
        #expect(kill(second, 0) != 0 && errno == ESRCH, "stop leaves neither the server nor its zombie")
    }

    @Test("the server keeps none of the engine's descriptors: a connection closed by the engine ends")
    func serverKeepsNoEngineDescriptor() throws {
        let lab = try ContainerLab("serve-fds")
        lab.launcher = InitLauncher(initPath: ContainerLab.initBinary, servedDirectory: lab.directory)
        var pipe: [Int32] = [-1, -1]
        #expect(Glibc.pipe(&pipe) == 0)  // without close-on-exec, as a client connection of the engine may be
        defer { close(pipe[0]) }
        #expect(try lab.run(lab.spec("fds", ["true"])).exit.exitCode == 0)  // spawns the server now
        close(pipe[1])
        var byte: UInt8 = 0
        var poll = pollfd(fd: pipe[0], events: Int16(POLLIN), revents: 0)
        #expect(Glibc.poll(&poll, 1, 2000) == 1, "the read end sees the end within 2 s")
        #expect(read(pipe[0], &byte, 1) == 0)
    }
}
