import Testing
@testable import SpliceRuntime

@Suite("splice-init exec's pure parts")
struct ExecLauncherTests {
    @Test("cgroup.procs paths for v1, named and v2 hierarchies")
    func cgroupPaths() {
        let text = "9:name=systemd:/\n4:memory:/process_api/abc\n2:cpu,cpuacct:/splice/x\n1:pids:/\n0::/splice/x\n"
        #expect(ExecLauncher.cgroupProcsPaths(text, unified: "/sys/fs/cgroup/unified") == [
            "/sys/fs/cgroup/systemd/cgroup.procs", "/sys/fs/cgroup/memory/process_api/abc/cgroup.procs",
            "/sys/fs/cgroup/cpu,cpuacct/splice/x/cgroup.procs", "/sys/fs/cgroup/pids/cgroup.procs",
            "/sys/fs/cgroup/unified/splice/x/cgroup.procs",
        ])
        #expect(ExecLauncher.cgroupProcsPaths("0::/a.slice/b\n", unified: "/sys/fs/cgroup")
            == ["/sys/fs/cgroup/a.slice/b/cgroup.procs"])
    }

    @Test("a missing command, a missing path and a bad working directory read as runc words them")
    func messages() throws {
        let spec = ExecSpec(command: ["nope"], workingDirectory: "/nowhere", seccomp: .unconfined)
        let plan = try ChildPlan(exec: spec, hostname: "h", terminalSocket: nil)
        let exec = try #require(plan.steps.indices.last)
        let chdir = try #require(plan.steps.firstIndex { if case .changeDirectory = $0 { true } else { false } })
        #expect(plan.failure(step: Int32(exec), errno: .noSuchFileOrDirectory, command: "nope",
                             workingDirectory: "/nowhere")
            == #"exec: "nope": executable file not found in $PATH"#)
        #expect(plan.failure(step: Int32(chdir), errno: .noSuchFileOrDirectory, command: "nope",
                             workingDirectory: "/nowhere")
            == #"chdir to cwd ("/nowhere") set in config.json failed: no such file or directory"#)
        let absolute = ExecSpec(command: ["/no/such"], seccomp: .unconfined)
        let absolutePlan = try ChildPlan(exec: absolute, hostname: "h", terminalSocket: nil)
        #expect(absolutePlan.failure(step: Int32(absolutePlan.steps.count - 1), errno: .noSuchFileOrDirectory,
                                     command: "/no/such", workingDirectory: "/")
            == #"exec: "/no/such": stat /no/such: no such file or directory"#)
        #expect(absolutePlan.failure(step: Int32(absolutePlan.steps.count - 1), errno: .permissionDenied,
                                     command: "/no/such", workingDirectory: "/")
            == #"exec: "/no/such": permission denied"#)
        #expect("\(RuntimeError.execFailed(#"exec: "nope": executable file not found in $PATH"#))"
            == "OCI runtime exec failed: exec failed: unable to start container process: "
            + #"exec: "nope": executable file not found in $PATH"#)
    }
}
