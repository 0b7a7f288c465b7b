#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import CLinuxShims
import Glibc
import SystemKit

/// The body of `splice-init exec <container-pid>`: reads an `ExecSpec` (JSON) from fd 3, joins the cgroups and the
/// namespaces of the container's pid 1, forks the process (the pid namespace applies to children), reports its pid
/// or the error on the unix socket at fd 4 (with a TTY, the pseudo-terminal's master comes first, tag byte 1 with
/// SCM_RIGHTS), forwards the signals it gets to it and exits with its exit code (128+N for signal N).
public enum ExecLauncher {
    /// The descriptor the spec arrives on.
    public static let specDescriptor: Int32 = 3
    /// The descriptor of the report socket.
    public static let reportDescriptor: Int32 = 4
    /// The namespaces joined, in order (mnt late: it changes root and cwd; the user namespace last).
    static let namespaces: [(name: String, flag: Int32)] = [
        ("ipc", Int32(CLS_CLONE_NEWIPC)), ("uts", Int32(CLS_CLONE_NEWUTS)), ("net", Int32(CLS_CLONE_NEWNET)),
        ("pid", Int32(CLS_CLONE_NEWPID)), ("cgroup", Int32(CLS_CLONE_NEWCGROUP)), ("mnt", Int32(CLS_CLONE_NEWNS)),
        // Last: a remapped container's (`--userns-remap`); once in it, the host's namespaces are out of reach.
        ("user", Int32(CLS_CLONE_NEWUSER)),
    ]

    /// Runs `splice-init exec <pid>`; returns the exit status.
    public static func main(arguments: [String]) -> Int32 {
        _ = cls_close_from(UInt32(reportDescriptor + 1))
        _ = fcntl(specDescriptor, F_SETFD, FD_CLOEXEC)
        _ = fcntl(reportDescriptor, F_SETFD, FD_CLOEXEC)
        signal(SIGPIPE, SIG_IGN)
        guard arguments.count == 3, let containerPid = Int32(arguments[2]), containerPid > 0 else {
            FileHandleWriter.standardError("usage: splice-init exec <container-pid>\n")
            return 2
        }
        let child: pid_t
        do {
            child = try start(containerPid: containerPid)
        } catch {
            report(ExecReport(error: "\(error)"))
            return 127
        }
        _ = cls_forward_signals(child)
        report(ExecReport(pid: child))
        var status: Int32 = 0
        while waitpid(child, &status, 0) < 0 {
            if Errno.current != .interrupted { return 255 }
        }
        let code = cls_wait_status_code(status)
        return code < 0 ? 128 - code : code
    }

    /// Everything up to the exec'd child; throws the message for the report.
    private static func start(containerPid: Int32) throws -> pid_t {
        let bytes: [UInt8]
        do {
            bytes = try FileDescriptor(owning: specDescriptor).readAll()
        } catch {
            throw RuntimeError.system(error)
        }
        let spec = try JSONDecoder().decode(ExecSpec.self, from: Data(bytes))
        try joinCgroups(of: containerPid)
        var handles: [(FileDescriptor, Int32)] = []
        for namespace in namespaces {
            let path = "/proc/\(containerPid)/ns/\(namespace.name)"
            let own = try? FileDescriptor.open("/proc/self/ns/\(namespace.name)").identity()
            do {
                let handle = try FileDescriptor.open(path)
                if let own, try handle.identity() == own { continue }
                handles.append((handle, namespace.flag))
            } catch {
                throw RuntimeError.system(error)
            }
        }
        for (handle, flag) in handles where cls_setns(handle.rawValue, flag) != 0 {
            throw RuntimeError.system(.current("setns"))
        }
        // In a remapped container's user namespace the host's root is unmapped: files it made would fail
        // (EOVERFLOW). Become the namespace's root, as its pid 1 did.
        if handles.contains(where: { $0.1 == Int32(CLS_CLONE_NEWUSER) }), cls_become_root() != 0 {
            throw RuntimeError.system(.current("setresuid 0 in the user namespace"))
        }
        handles = []
        var name = [CChar](repeating: 0, count: 256)
        let hostname = gethostname(&name, name.count - 1) == 0
            ? String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
        let plan = try ChildPlan(exec: spec, hostname: hostname, terminalSocket: reportDescriptor)

        var fds: [Int32] = [0, 0]
        try retryingInterruptsForRuntime("pipe2") { cls_pipe_cloexec(&fds) }
        let failures = FileDescriptor(owning: fds[0])
        let pid = cls_fork()
        if pid == 0 { ChildProcess.run(plan, errorFD: fds[1]) }
        close(fds[1])
        if pid < 0 { throw RuntimeError.system(.current("fork")) }
        let record: [UInt8]
        do {
            record = try failures.readAll()
        } catch {
            throw RuntimeError.system(error)
        }
        guard record.count >= 8 else { return pid }
        let (index, errno) = record.withUnsafeBytes { raw in
            (raw.load(fromByteOffset: 0, as: Int32.self), raw.load(fromByteOffset: 4, as: Int32.self))
        }
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
        throw RuntimeError.execFailed(plan.failure(step: index, errno: Errno(rawValue: errno),
                                                    command: spec.command.first ?? "",
                                                    workingDirectory: spec.workingDirectory))
    }

    /// Writes this process into each hierarchy's `cgroup.procs` of `pid`'s cgroups (`/proc/<pid>/cgroup`).
    private static func joinCgroups(of pid: Int32) throws {
        let text: String
        do {
            text = String(decoding: try FileDescriptor.open("/proc/\(pid)/cgroup").readAll(), as: UTF8.self)
        } catch {
            throw RuntimeError.system(error)
        }
        let hybrid = access("/sys/fs/cgroup/unified/cgroup.procs", F_OK) == 0
        let unified = hybrid ? "/sys/fs/cgroup/unified" : "/sys/fs/cgroup"
        for path in cgroupProcsPaths(text, unified: unified) {
            guard let file = try? FileDescriptor.open(path, O_WRONLY) else { continue }
            do {
                try file.write(Array("\(getpid())".utf8))
            } catch {
                throw RuntimeError.system(SystemError(error.operation, errno: error.errno, path: path))
            }
        }
    }

    /// The `cgroup.procs` files under `/sys/fs/cgroup` for the lines of a `/proc/<pid>/cgroup` file; `unified` is
    /// where the v2 hierarchy is mounted (`/sys/fs/cgroup`, or `/sys/fs/cgroup/unified` on a hybrid host).
    static func cgroupProcsPaths(_ text: String, unified: String) -> [String] {
        text.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { return nil }
            let path = fields[2] == "/" ? "" : String(fields[2])
            if fields[0] == "0" && fields[1].isEmpty { return "\(unified)\(path)/cgroup.procs" }
            let controllers = fields[1].hasPrefix("name=") ? String(fields[1].dropFirst(5)) : String(fields[1])
            guard !controllers.isEmpty else { return nil }
            return "/sys/fs/cgroup/\(controllers)\(path)/cgroup.procs"
        }
    }

    private static func retryingInterruptsForRuntime(_ operation: String, _ body: () -> Int32) throws {
        do {
            try retryingInterrupts(operation) { body() }
        } catch {
            throw RuntimeError.system(error)
        }
    }

    private static func report(_ message: ExecReport) {
        guard let data = try? JSONEncoder().encode(message) else { return }
        let bytes = Array(data)
        _ = bytes.withUnsafeBytes { cls_write_all(reportDescriptor, $0.baseAddress, $0.count) }
        close(reportDescriptor)
    }
}
