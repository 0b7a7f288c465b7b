import Foundation
import Glibc
import SpliceRuntime
import Testing

/// Whether containers can be started here: root, busybox-static and a built splice-init.
let canRunContainers: Bool = geteuid() == 0 && FileManager.default.isExecutableFile(atPath: ContainerLab.busybox)
    && FileManager.default.isExecutableFile(atPath: ContainerLab.initBinary)

@Suite(
    "Containers through splice-init: start, log, exit, kill", .serialized,
    .enabled(if: canRunContainers, "needs root, busybox-static and a built splice-init; run: sudo swift test"))
struct ContainerLifecycleTests {
    @Test("echo hello lands in the json-file log and the exit status is 0")
    func echoHello() throws {
        let lab = try ContainerLab("echo")
        let (exit, lines) = try lab.run(lab.spec("echo", ["echo", "hello"]))
        #expect(exit.exitCode == 0 && exit.signal == nil && exit.error == nil)
        #expect(lines.count == 1)
        #expect(lines.first?.0 == "stdout" && lines.first?.1 == "hello\n")
        let raw = try String(contentsOfFile: lab.state("echo") + "/container.log", encoding: .utf8)
        #expect(raw.hasPrefix(#"{"log":"hello\n","stream":"stdout","time":""#))
    }

    @Test("the exit code propagates and stderr is its own stream")
    func exitCode() throws {
        let lab = try ContainerLab("exit")
        let (exit, lines) = try lab.run(lab.spec("exit", ["sh", "-c", "echo oops >&2; exit 7"]))
        #expect(exit.exitCode == 7)
        #expect(lines.map(\.0) == ["stderr"] && lines.map(\.1) == ["oops\n"])
    }

    @Test("the environment, working directory and user reach the process")
    func environmentAndUser() throws {
        let lab = try ContainerLab("env")
        var spec = lab.spec("env", ["sh", "-c", "echo $FOO; pwd; id; grep CapEff /proc/self/status"])
        spec.environment = ["FOO=bar baz"]
        spec.workingDirectory = "/tmp"
        spec.user = "1000:1000"
        spec.additionalGroups = [10]
        let (exit, lines) = try lab.run(spec)
        #expect(exit.exitCode == 0)
        #expect(lab.stdout(lines) == "bar baz\n/tmp\nuid=1000 gid=1000 groups=10\nCapEff:\t0000000000000000\n")
    }

    @Test("signals start at their defaults, unblocked, whatever the engine ignored")
    func signalDefaults() throws {
        let lab = try ContainerLab("signals")
        let (exit, lines) = try lab.run(lab.spec("signals", ["grep", "-e", "SigIgn", "-e", "SigBlk", "/proc/self/status"]))
        #expect(exit.exitCode == 0)
        #expect(lab.stdout(lines) == "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n")
    }

    @Test("a command that cannot start is reported by start in runc's words, as dockerd reports it")
    func setupFailure() throws {
        let lab = try ContainerLab("fail")
        #expect {
            try lab.start(lab.spec("fail", ["/no/such/program"]))
        } throws: { error in
            guard case RuntimeError.startFailed(let reason) = error else { return false }
            return reason.contains(#"exec: "/no/such/program": stat /no/such/program: no such file or directory"#)
        }
        #expect(ContainerRuntime.status(stateDirectory: lab.state("fail"))?.exitCode == 127)
    }

    @Test("a killed container leaves no process and no mount behind; the overlay upper dir keeps its writes")
    func killAndCleanup() throws {
        let lab = try ContainerLab("kill")
        let upper = lab.directory + "/upper"
        let work = lab.directory + "/work"
        try FileManager.default.createDirectory(atPath: upper, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        var spec = lab.spec("kill", ["sh", "-c", "echo written > /tmp/file; echo ready; exec sleep 1000"])
        spec.rootfs = .overlay(lower: [lab.rootfs], upper: upper, work: work)
        let running = try lab.start(spec)
        for _ in 0..<250 where (try? lab.log("kill"))?.isEmpty ?? true { usleep(20_000) }
        #expect(ContainerRuntime.running(stateDirectory: lab.state("kill")) == running)
        #expect(kill(running.containerPid, 0) == 0 && kill(running.monitorPid, 0) == 0)
        let hostMounts = try String(contentsOfFile: "/proc/\(running.containerPid)/mountinfo", encoding: .utf8)
        #expect(hostMounts.contains(" / ") && !hostMounts.contains(lab.directory + "/state-kill/rootfs/proc"))
        try running.signal(SIGKILL)
        let exit = try lab.wait(running)
        #expect(exit.exitCode == 137 && exit.signal == SIGKILL)
        #expect(Self.ended(running.containerPid))
        #expect(Self.ended(running.monitorPid))
        let mountinfo = try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)
        #expect(!mountinfo.contains(lab.directory))
        #expect((try? String(contentsOfFile: upper + "/tmp/file", encoding: .utf8)) == "written\n")
    }

    /// Whether `pid` is gone or a zombie within two seconds (the monitor is reaped by whoever adopted it).
    private static func ended(_ pid: Int32) -> Bool {
        for _ in 0..<100 {
            guard kill(pid, 0) == 0 else { return true }
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            if let close = stat.lastIndex(of: ")"), stat[close...].hasPrefix(") Z") { return true }
            usleep(20_000)
        }
        return false
    }
}
