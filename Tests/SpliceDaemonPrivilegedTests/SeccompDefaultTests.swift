import Foundation
import Glibc
import Testing
import TestSupport

/// The default seccomp profile against Docker's, call by call: `benchmarks/seccomp-probe.c`, built static, attempts
/// each syscall Docker's default profile refuses (and a few it allows) inside a container run with the docker CLI.
@Suite("the default seccomp profile refuses what Docker's refuses", .serialized,
       .enabled(if: Privileges.canCreateNamespaces, "\(Privileges.reason)"),
       .enabled(if: DaemonLab.docker != nil, "the docker CLI is not installed (/usr/local/bin/docker or docker.io)"),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/busybox"),
                "needs /bin/busybox from Debian's busybox-static"),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/cc")
                    && FileManager.default.fileExists(atPath: "/usr/lib/x86_64-linux-gnu/libc.a"),
                "needs cc and a static libc (gcc, libc6-dev) to build the probe"))
struct SeccompDefaultTests {
    /// The calls Docker's default profile refuses with EPERM to a container with Docker's default capabilities.
    static let refused = [
        "acct", "add_key", "bpf", "clock_settime", "create_module", "delete_module", "fanotify_init", "finit_module",
        "fsconfig", "fsmount", "fsopen", "fspick", "get_kernel_syms", "get_mempolicy", "init_module", "io_uring_setup",
        "ioperm", "iopl", "kcmp", "kexec_file_load", "kexec_load", "keyctl", "lookup_dcookie", "mbind", "mount",
        "mount_setattr", "move_mount", "move_pages", "nfsservctl", "open_by_handle_at", "open_tree",
        "perf_event_open", "personality", "pidfd_getfd", "pivot_root", "process_madvise", "query_module", "quotactl",
        "quotactl_fd", "reboot", "request_key", "set_mempolicy", "setdomainname", "sethostname", "setns",
        "settimeofday", "socket(AF_VSOCK)", "swapoff", "swapon", "_sysctl", "sysfs", "syslog", "umount2", "unshare",
        "uselib", "userfaultfd", "ustat", "vhangup", "clone(CLONE_NEWNS)",
        // Refused without CAP_SYS_PTRACE by Docker 20.10 (the dockerd here); allowed to all by later versions.
        "process_vm_readv(empty)",
    ]
    /// Calls Docker allows; each succeeds.
    static let allowed = [
        "getpid", "personality(query)", "socket(AF_INET)", "clone(fork)", "clock_adjtime(query)", "chroot(/)",
    ]
    /// Refused calls whose EPERM can only come from the filter: without it the kernel answers them otherwise
    /// (EINVAL, EFAULT, EBADF, success) even without capabilities, so they prove the filter is there.
    static let refusedByFilterOnly = [
        "add_key", "keyctl", "request_key", "get_mempolicy", "set_mempolicy", "mbind", "move_pages", "kcmp",
        "io_uring_setup", "perf_event_open", "personality", "pidfd_getfd", "process_madvise", "setns",
        "socket(AF_VSOCK)", "unshare", "userfaultfd", "ustat", "open_tree", "clone3",
    ]

    /// A hand-made 32-bit x86 ELF: `write(1, "ok\n", 3)` and `exit(0)` through `int 0x80`.
    static let hello32: [UInt8] = {
        func le(_ value: UInt32, _ size: Int) -> [UInt8] { (0..<size).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        let base: UInt32 = 0x0804_8000
        let code: [UInt8] = [0xB8, 4, 0, 0, 0, 0xBB, 1, 0, 0, 0, 0xB9] + le(base + 84 + 31, 4)
            + [0xBA, 3, 0, 0, 0, 0xCD, 0x80, 0xB8, 1, 0, 0, 0, 0x31, 0xDB, 0xCD, 0x80]
        let total = UInt32(84 + code.count + 3)
        let header: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 1, 1, 1, 0] + [UInt8](repeating: 0, count: 8)
            + le(2, 2) + le(3, 2) + le(1, 4) + le(base + 84, 4) + le(52, 4) + le(0, 4) + le(0, 4)
            + le(52, 2) + le(32, 2) + le(1, 2) + le(0, 2) + le(0, 2) + le(0, 2)
        let program = le(1, 4) + le(0, 4) + le(base, 4) + le(base, 4) + le(total, 4) + le(total, 4) + le(5, 4)
            + le(0x1000, 4)
        return header + program + code + Array("ok\n".utf8)
    }()

    /// As under Docker's profile (its `archMap` serves x86 and x32 beside x86_64), a 32-bit program meets the
    /// allow-list; a filter serving x86_64 alone has the kernel kill it with SIGSYS at its first call.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/sys/abi/vsyscall32"),
                   "the kernel runs no 32-bit programs (no IA-32 emulation)"))
    func aThirtyTwoBitProgramRunsUnderTheDefaultFilter() throws {
        let lab = try DaemonLab("seccomp32")
        let directory = lab.directory + "/x86"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(Self.hello32).write(to: URL(fileURLWithPath: directory + "/hello32"))
        chmod(directory + "/hello32", 0o755)
        let run = try lab.docker(["run", "--rm", "--net=none", "-v", directory + ":/x86:ro", "bb", "/x86/hello32"])
        #expect(run.status == 0 && run.stdout == "ok\n", "\(run.status) \(run.stdout)\(run.stderr)")
        // A profile that names no other architecture serves x86_64 alone: the program dies of SIGSYS (128 + 31).
        let native = directory + "/native.json"
        try Data(#"{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": []}"#.utf8).write(to: URL(fileURLWithPath: native))
        let killed = try lab.docker(["run", "--rm", "--net=none", "--security-opt", "seccomp=" + native, "-v",
                                     directory + ":/x86:ro", "bb", "/x86/hello32"])
        #expect(killed.status == 159 && killed.stdout.isEmpty, "\(killed.status) \(killed.stdout)\(killed.stderr)")
        let mapped = directory + "/mapped.json"
        let profile = #"{"defaultAction": "SCMP_ACT_ALLOW", "archMap": [{"architecture": "SCMP_ARCH_X86_64", "#
            + #""subArchitectures": ["SCMP_ARCH_X86"]}], "syscalls": []}"#
        try Data(profile.utf8).write(to: URL(fileURLWithPath: mapped))
        let served = try lab.docker(["run", "--rm", "--net=none", "--security-opt", "seccomp=" + mapped, "-v",
                                     directory + ":/x86:ro", "bb", "/x86/hello32"])
        #expect(served.status == 0 && served.stdout == "ok\n", "\(served.status) \(served.stdout)\(served.stderr)")
    }

    /// Builds the probe into the lab's directory; the directory to mount at /probe.
    static func buildProbe(in lab: DaemonLab) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let source = root.appendingPathComponent("benchmarks/seccomp-probe.c").path
        let directory = lab.directory + "/probe"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try run("/usr/bin/cc", ["-static", "-O1", "-o", directory + "/seccomp-probe", source])
        return directory
    }

    /// Runs the probe in a container with `options`; its results by call.
    static func probe(_ lab: DaemonLab, _ directory: String, _ options: [String] = []) throws -> [String: String] {
        let result = try lab.docker(["run", "--rm", "--net=none", "-v", directory + ":/probe:ro"] + options
                                    + ["bb", "/probe/seccomp-probe"])
        #expect(result.status == 0, "\(result.stderr)\n\(lab.daemonLog())")
        var results: [String: String] = [:]
        for line in result.stdout.split(separator: "\n") {
            let parts = line.split(separator: " ")
            try #require(parts.count == 2, "probe line \(line)")
            results[String(parts[0])] = String(parts[1])
        }
        return results
    }

    @Test("each call Docker refuses is refused with EPERM, clone3 with ENOSYS, and the allowed ones work")
    func refusedAsDocker() throws {
        let lab = try DaemonLab("seccomp")
        let directory = try Self.buildProbe(in: lab)
        let results = try Self.probe(lab, directory)
        for name in Self.refused { #expect(results[name] == "EPERM", "\(name): \(results[name] ?? "missing")") }
        #expect(results["clone3"] == "ENOSYS")
        for name in Self.allowed { #expect(results[name] == "ok", "\(name): \(results[name] ?? "missing")") }
        let status = try lab.docker(["run", "--rm", "--net=none", "bb", "grep", "^Seccomp:", "/proc/self/status"])
        #expect(status.stdout == "Seccomp:\t2\n")
    }

    @Test("without the filter the same calls are answered otherwise, so the EPERMs above are the filter's")
    func unconfinedDiffers() throws {
        let lab = try DaemonLab("seccompoff")
        let directory = try Self.buildProbe(in: lab)
        let results = try Self.probe(lab, directory, ["--security-opt", "seccomp=unconfined"])
        for name in Self.refusedByFilterOnly {
            let result = try #require(results[name], "\(name) missing")
            #expect(result != (name == "clone3" ? "ENOSYS" : "EPERM"), "\(name): \(result)")
        }
    }

    @Test("capabilities unlock the calls Docker ties to them: CAP_SYS_ADMIN lets mount, unshare and clone3 through")
    func capabilityUnlocks() throws {
        let lab = try DaemonLab("seccompcap")
        let directory = try Self.buildProbe(in: lab)
        let results = try Self.probe(lab, directory, ["--cap-add", "SYS_ADMIN"])
        // The kernel, no longer the filter, now answers: bad pointers, no such flags, success.
        #expect(results["mount"] == "EFAULT", "\(results["mount"] ?? "missing")")
        #expect(results["unshare"] == "ok", "\(results["unshare"] ?? "missing")")
        #expect(results["clone3"] == "EINVAL", "\(results["clone3"] ?? "missing")")
        #expect(results["keyctl"] == "EPERM")  // no capability unlocks the keyring calls
        let ptrace = try Self.probe(lab, directory, ["--cap-add", "SYS_PTRACE"])
        #expect(ptrace["process_vm_readv(empty)"] == "ok")
        let dropped = try Self.probe(lab, directory, ["--cap-drop", "SYS_CHROOT"])
        #expect(dropped["chroot(/)"] == "EPERM")
    }
}
