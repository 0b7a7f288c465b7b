#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import CLinuxShims
import Glibc
import Synchronization
import SystemKit

/// A process started inside a running container through `splice-init exec`; the engine holds its stdio (pipes, or
/// a pseudo-terminal's master with `tty`). Blocking: use it from dedicated threads.
///
/// With `tty` the terminal is opened inside the container (its `/dev/pts`, as runc does), so the process sees
/// `/dev/pts/N`; its master comes back over the report socket. Call `wait` once the output ended, or the
/// `splice-init exec` process stays a zombie.
///
/// Thread-safety: `read` may run on one thread while `writeStdin`, `closeStdin`, `resize` and `wait` run on others.
public final class ExecProcess: Sendable {
    /// The `splice-init exec` process (our child), which exits with the process's exit code.
    private let launcher: pid_t
    /// The output sources still open, used by `read` only.
    private let outputs: Mutex<[(fd: FileDescriptor, stream: AttachFrame.Stream)]>
    /// The process's stdin (pipe or master) until closed.
    private let input: Mutex<FileDescriptor?>
    private let terminal: FileDescriptor?
    /// The exit code once `wait` reaped the launcher; `wait` holds the lock while it blocks.
    private let exitCode = Mutex<Int32?>(nil)
    /// Set once the launcher is reaped (its pid may then be reused), read by `signal` without waiting for `wait`.
    private let reaped = Atomic<Bool>(false)

    /// The process's pid on the host.
    public let pid: Int32

    /// Starts `spec` in the namespaces and cgroup of `containerPid`; returns once the command has exec'd, or throws
    /// what went wrong (for example "executable file not found in $PATH").
    public static func start(_ spec: ExecSpec, containerPid: Int32, initPath: String) throws -> ExecProcess {
        let specData = Array(try JSONEncoder().encode(spec))
        var pair: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
            throw RuntimeError.system(.current("socketpair"))
        }
        let reportReader = FileDescriptor(owning: pair[0])
        var outputs: [(fd: FileDescriptor, stream: AttachFrame.Stream)] = []
        var input: FileDescriptor?
        let launcher: pid_t
        do {
            // Everything the launcher gets lives in this scope, so our copies are closed when it ends.
            let reportWriter = FileDescriptor(owning: pair[1])
            let devNull = try wrap { () throws(SystemError) in try FileDescriptor.open("/dev/null", O_RDWR) }
            let specPipe = try socketPair()
            var stdio = [devNull, devNull, devNull]
            if !spec.tty {
                let stdout = try pipe()
                let stderr = try pipe()
                stdio[1] = stdout.write
                stdio[2] = stderr.write
                outputs = [(stdout.read, .stdout), (stderr.read, .stderr)]
                if spec.openStdin {
                    let stdin = try pipe()
                    stdio[0] = stdin.read
                    input = stdin.write
                }
            }
            // Move every source above the target numbers so that no dup2 clobbers another's source.
            var high: [FileDescriptor] = []
            for fd in stdio + [specPipe.read, reportWriter] {
                let copy = fcntl(fd.rawValue, F_DUPFD_CLOEXEC, 10)
                guard copy >= 0 else { throw RuntimeError.system(.current("fcntl F_DUPFD_CLOEXEC")) }
                high.append(FileDescriptor(owning: copy))
            }
            launcher = try spawn(initPath, arguments: ["exec", "\(containerPid)"], descriptors: high.map(\.rawValue))
            // The launcher reads the spec to its end before anything else; a failure shows in the report.
            send(specData, on: specPipe.write)
        }
        let report = readReport(reportReader)
        if let error = report.error {
            reap(launcher)
            throw RuntimeError.execFailed(error.hasPrefix(Self.execFailedPrefix)
                ? String(error.dropFirst(Self.execFailedPrefix.count)) : error)
        }
        guard let pid = report.pid else {
            reap(launcher)
            throw RuntimeError.initFailed("splice-init exec ended without a report")
        }
        if let terminal = report.terminal {
            outputs = [(terminal, .stdout)]
            if spec.openStdin { input = terminal }
        }
        return ExecProcess(launcher: launcher, pid: pid, outputs: outputs, input: input, terminal: report.terminal)
    }

    /// How `RuntimeError.execFailed` describes itself, stripped when the launcher's error comes back.
    private static let execFailedPrefix = "OCI runtime exec failed: exec failed: unable to start container process: "

    private init(
        launcher: pid_t, pid: Int32, outputs: [(fd: FileDescriptor, stream: AttachFrame.Stream)],
        input: FileDescriptor?, terminal: FileDescriptor?
    ) {
        self.launcher = launcher
        self.pid = pid
        self.outputs = Mutex(outputs)
        self.input = Mutex(input)
        self.terminal = terminal
    }

    /// The next piece of output; nil once stdout and stderr have both ended.
    public func read() throws -> AttachFrame? {
        try outputs.withLock { outputs throws -> AttachFrame? in
            var buffer = [UInt8](repeating: 0, count: 32 * 1024)
            while !outputs.isEmpty {
                var polls = outputs.map { pollfd(fd: $0.fd.rawValue, events: Int16(POLLIN), revents: 0) }
                if poll(&polls, nfds_t(polls.count), -1) < 0 {
                    if Errno.current == .interrupted { continue }
                    throw RuntimeError.system(.current("poll"))
                }
                for index in polls.indices where polls[index].revents != 0 {
                    let count = buffer.withUnsafeMutableBytes {
                        Glibc.read(outputs[index].fd.rawValue, $0.baseAddress, $0.count)
                    }
                    if count < 0 && Errno.current == .interrupted { break }
                    if count <= 0 {
                        // EIO from the master: every slave is closed.
                        outputs.remove(at: index)
                        break
                    }
                    return AttachFrame(stream: outputs[index].stream, bytes: Array(buffer[0..<count]))
                }
            }
            return nil
        }
    }

    /// Sends `bytes` to the process's stdin (when started with `openStdin`).
    public func writeStdin(_ bytes: [UInt8]) throws {
        try input.withLock { input throws in
            guard let input else { throw RuntimeError.invalidSpec("the exec's stdin is not open") }
            try Self.wrap { () throws(SystemError) in try input.write(bytes) }
        }
    }

    /// Closes the process's stdin (EOF for it; with a TTY the terminal's EOF character is written).
    public func closeStdin() throws {
        try input.withLock { input throws in
            guard let open = input else { return }
            input = nil
            if let terminal, terminal === open {
                let eof = UInt8(truncatingIfNeeded: cls_terminal_eof_char(terminal.rawValue))
                try Self.wrap { () throws(SystemError) in try terminal.write([eof]) }
            }
        }
    }

    /// Sets the terminal size (no effect without a TTY).
    public func resize(_ size: TerminalSize) throws {
        guard let terminal else { return }
        if cls_set_window_size(terminal.rawValue, size.rows, size.columns) != 0 {
            throw RuntimeError.system(.current("ioctl TIOCSWINSZ"))
        }
    }

    /// Waits for the process to end and returns its exit code (128+N for signal N).
    public func wait() -> Int32 {
        exitCode.withLock { code in
            if let code { return code }
            var status: Int32 = 0
            var result = waitpid(launcher, &status, 0)
            while result < 0 && Errno.current == .interrupted { result = waitpid(launcher, &status, 0) }
            let value = result < 0 ? 255 : cls_wait_status_code(status)
            let exit = value < 0 ? 128 - value : value
            reaped.store(true, ordering: .releasing)
            code = exit
            return exit
        }
    }

    /// Sends `signal` to the process: through `splice-init exec`, which forwards it, or directly for signals that
    /// cannot be caught (SIGKILL, SIGSTOP).
    public func signal(_ signal: Int32) {
        if reaped.load(ordering: .acquiring) { return }
        if signal == SIGKILL || signal == SIGSTOP || signal == SIGCONT {
            _ = kill(pid, signal)
        } else {
            _ = kill(launcher, signal)
        }
    }

    /// A pipe, both ends close-on-exec.
    private static func pipe() throws -> (read: FileDescriptor, write: FileDescriptor) {
        var fds: [Int32] = [0, 0]
        guard cls_pipe_cloexec(&fds) == 0 else { throw RuntimeError.system(.current("pipe2")) }
        return (FileDescriptor(owning: fds[0]), FileDescriptor(owning: fds[1]))
    }

    /// A unix stream socket pair (close-on-exec), for the spec: writing it cannot raise SIGPIPE.
    private static func socketPair() throws -> (read: FileDescriptor, write: FileDescriptor) {
        var fds: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
            throw RuntimeError.system(.current("socketpair"))
        }
        return (FileDescriptor(owning: fds[0]), FileDescriptor(owning: fds[1]))
    }

    /// Sends all of `bytes`, giving up when the peer is gone.
    private static func send(_ bytes: [UInt8], on socket: FileDescriptor) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { raw in
                Glibc.send(
                    socket.rawValue, raw.baseAddress.map { $0 + offset }, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if count < 0 && Errno.current == .interrupted { continue }
            if count <= 0 { return }
            offset += count
        }
    }

    /// Reads the launcher's report to its end: the terminal's master first when there is one (tag byte 1 with
    /// SCM_RIGHTS), then the `ExecReport` JSON.
    private static func readReport(_ socket: FileDescriptor)
        -> (pid: Int32?, error: String?, terminal: FileDescriptor?)
    {
        var terminal: FileDescriptor?
        var bytes: [UInt8] = []
        var fd: Int32 = -1
        var tag: UInt8 = 0
        let count = cls_receive_descriptor(socket.rawValue, &fd, &tag)
        if count < 0 { return (nil, "receive the report: \(Errno.current)", nil) }
        if count == 1 {
            if fd >= 0 { terminal = FileDescriptor(owning: fd) } else { bytes.append(tag) }
        }
        if count > 0 { bytes += (try? socket.readAll()) ?? [] }
        guard !bytes.isEmpty, let report = try? JSONDecoder().decode(ExecReport.self, from: Data(bytes)) else {
            return (nil, "splice-init exec ended without a report", terminal)
        }
        return (report.pid, report.error, report.error == nil ? terminal : nil)
    }

    /// Waits for the launcher after a failed start.
    private static func reap(_ launcher: pid_t) {
        var status: Int32 = 0
        while waitpid(launcher, &status, 0) < 0 && Errno.current == .interrupted {}
    }

    private static func wrap<T>(_ body: () throws(SystemError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw RuntimeError.system(error)
        }
    }

    /// `posix_spawn`s `path` with `descriptors` as its fds 0, 1, 2, 3 (spec) and 4 (report), default signals and an
    /// empty signal mask and environment.
    private static func spawn(_ path: String, arguments: [String], descriptors: [Int32]) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (target, source) in descriptors.enumerated() {
            posix_spawn_file_actions_adddup2(&actions, source, Int32(target))
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let envp: [UnsafeMutablePointer<CChar>?] = [nil]
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        if result != 0 {
            throw RuntimeError.system(SystemError("posix_spawn", errno: Errno(rawValue: result), path: path))
        }
        return pid
    }
}
