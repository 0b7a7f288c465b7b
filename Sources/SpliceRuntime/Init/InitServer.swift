#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import CLinuxShims
import Glibc

/// `splice-init serve`: the copy of `splice-init` the engine keeps running (`InitLauncher`). Each message on
/// descriptor 3 names a state directory and carries the init log and the report pipe; the server forks, and the
/// child becomes `splice-init <state-dir> --report-fd 3` without an `exec`. A container's start so skips loading
/// the 26 MB static binary, its page faults and the Swift runtime's start-up (about 1 ms here).
///
/// Nothing but this loop runs in the server, so the fork copies a process with one thread and no lock held.
public enum InitServer {
    /// The engine's end of the socket pair in the server.
    public static let socketDescriptor: Int32 = 3
    /// The longest message: a state directory path.
    static let messageCapacity = Int(PATH_MAX)

    /// Serves until the engine closes its end; returns the process's exit status.
    public static func main() -> Int32 {
        // What the engine had open without close-on-exec when it spawned this (its clients' connections among
        // them) must not stay open here: a connection held here would never see its end.
        _ = cls_close_from(UInt32(socketDescriptor + 1))
        // The children that become monitors detach at once (`ContainerMonitor.main` forks and returns): the
        // kernel reaps them. Each child resets every signal before it runs anything.
        signal(SIGCHLD, SIG_IGN)
        warmUp()
        var buffer = [UInt8](repeating: 0, count: messageCapacity)
        while true {
            var fds: [Int32] = [-1, -1]
            var count: Int32 = 0
            let received = buffer.withUnsafeMutableBytes { raw in
                cls_receive_with_descriptors(socketDescriptor, raw.baseAddress, raw.count, &fds, 2, &count)
            }
            if received == 0 { return 0 }
            if received < 0 {
                if errno == EINTR { continue }
                return 1
            }
            defer { for fd in fds.prefix(Int(count)) { close(fd) } }
            guard count == 2 else { continue }  // not the engine's message: dropped, its descriptors closed
            let directory = String(decoding: buffer[..<received], as: UTF8.self)
            if cls_fork() == 0 {
                cls_reset_signals()
                _exit(child(directory: directory, log: fds[0], report: fds[1]))
            }
            // A failed fork closes the report pipe's last writer here: the engine reads no report and says so.
        }
    }

    /// Takes one spec like the engine's through the steps a child runs before the container's exec (decode, the
    /// `/etc` files, the plan), without starting anything: the Swift runtime's metadata and conformance caches are
    /// then filled in this process, and every fork starts with them (a cold child spent about a sixth of its time
    /// instantiating them).
    static func warmUp() {
        var sample = ContainerSpec(id: "warm-up", command: ["true"],
                                   rootfs: .overlay(lower: ["/"], upper: "/", work: "/"), hostname: "warm-up",
                                   hosts: [HostsEntry(address: "127.0.0.1", names: ["warm-up"])])
        sample.compiledSeccomp = CompiledSeccomp.dockerDefault(for: sample.seccomp, capAdd: [], capDrop: [],
                                                               privileged: false)
        guard let bytes = try? JSONEncoder().encode(sample),
              let spec = try? ContainerSpec.decode(Array(bytes)) else { return }
        _ = (EtcFiles.hostname(spec.hostname), EtcFiles.hosts(spec.hosts), EtcFiles.resolvConf(spec.dns))
        _ = try? ChildPlan(spec: spec, state: StateDirectory("/nonexistent/warm-up"), stdio: [0, 1, 2], network: nil)
    }

    /// The forked child: standard output and error to the init log, the report on descriptor 3, and the command
    /// line a spawned `splice-init` would have (`ps` and `pgrep -f` find monitors by their state directory).
    private static func child(directory: String, log: Int32, report: Int32) -> Int32 {
        guard dup2(log, STDOUT_FILENO) >= 0, dup2(log, STDERR_FILENO) >= 0,
              dup2(report, ContainerMonitor.reportDescriptor) >= 0 else { return 1 }
        let arguments = ["splice-init", directory, "--report-fd", "\(ContainerMonitor.reportDescriptor)"]
        var line: [CChar] = []
        for argument in arguments { line += argument.utf8.map { CChar(bitPattern: $0) } + [0] }
        _ = cls_set_command_line(line, line.count)  // best effort: only what `ps` shows depends on it
        return ContainerMonitor.main(arguments: arguments)
    }
}
