import CLinuxShims
import Glibc
import SystemKit

/// The monitor's side of a running container: its pid 1, the read ends of its output (two pipes, or a
/// pseudo-terminal's master with a TTY), the write end of its stdin, and the listening attach socket.
struct MonitoredContainer {
    let pid: pid_t
    /// Output sources and the stream each is logged as.
    let outputs: [(fd: FileDescriptor, stream: AttachFrame.Stream)]
    /// Where stdin from clients goes: the pipe's write end, or the master; nil without `openStdin`.
    let stdin: FileDescriptor?
    /// The pseudo-terminal's master, with a TTY.
    let terminal: FileDescriptor?
    let listener: FileDescriptor
    let socketPath: String
    /// The json-file log; nil with `--log-driver none`.
    let log: RotatingLogFile?
    let stdinOnce: Bool
    /// Wait for a first client once the output has ended (`ContainerSpec.awaitAttach`).
    let awaitAttach: Bool

    /// Plans the setup, opens the attach socket, enters a new pid namespace for children, forks the container's
    /// pid 1 and waits until it has exec'd (the error pipe closes) or reports which step failed.
    static func launch(_ spec: ContainerSpec, state: StateDirectory) throws -> MonitoredContainer {
        do {
            let log = spec.logSettings.enabled
                ? try RotatingLogFile(path: spec.logPath ?? state.containerLog, settings: spec.logSettings) : nil
            let devNull = try FileDescriptor.open("/dev/null", O_RDONLY)
            var childEnds: [Int32] = []
            defer { for fd in childEnds { close(fd) } }
            var stdio: [Int32] = [devNull.rawValue, devNull.rawValue, devNull.rawValue]
            var outputs: [(fd: FileDescriptor, stream: AttachFrame.Stream)] = []
            var stdinWriter: FileDescriptor?
            var terminalReceiver: FileDescriptor?
            var terminalSocket: Int32?
            if spec.tty {
                var pair: [Int32] = [0, 0]
                let flags = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
                if socketpair(AF_UNIX, flags, 0, &pair) != 0 { throw SystemError.current("socketpair") }
                terminalReceiver = FileDescriptor(owning: pair[0])
                childEnds.append(pair[1])
                terminalSocket = pair[1]
            } else {
                let output = try pipe()
                let errors = try pipe()
                childEnds += [output.write, errors.write]
                outputs = [(output.read, .stdout), (errors.read, .stderr)]
                stdio[1] = output.write
                stdio[2] = errors.write
                if spec.openStdin {
                    var fds: [Int32] = [0, 0]
                    try retryingInterrupts("pipe2") { cls_pipe_cloexec(&fds) }
                    childEnds.append(fds[0])
                    stdio[0] = fds[0]
                    stdinWriter = FileDescriptor(owning: fds[1])
                }
            }
            var failures = try pipe()
            defer { if failures.write >= 0 { close(failures.write) } }
            var network: FileDescriptor?
            if case .namespace(let path) = spec.network { network = try FileDescriptor.open(path, O_RDONLY) }
            // With a user namespace: pid 1 waits on this pipe until the maps are written; the monitor joins the
            // network namespace itself, which the child could not once in its own user namespace.
            var sync: (child: Int32, monitor: FileDescriptor)?
            if spec.userNamespace != nil {
                var fds: [Int32] = [0, 0]
                try retryingInterrupts("pipe2") { cls_pipe_cloexec(&fds) }
                childEnds.append(fds[0])
                sync = (fds[0], FileDescriptor(owning: fds[1]))
                if let joined = network {
                    try retryingInterrupts("setns") { cls_setns(joined.rawValue, Int32(CLS_CLONE_NEWNET)) }
                    network = nil
                    unprivilegedPortsAndPing()
                }
            }
            var idmapped: (trees: [FileDescriptor], overlay: FileDescriptor)?
            if let userNamespace = spec.userNamespace, userNamespace.idmappedLayers == true,
               case .overlay(let lower, let upper, let work) = spec.rootfs {
                idmapped = try idmappedOverlay(userNamespace, lower: lower, upper: upper, work: work)
            }
            // `--ipc container:NAME`: the other container's mount namespace (its /dev/shm), this one to come back
            // to, and a descriptor number the copy takes (this /dev/null's, so no other is overwritten).
            var sharedMemory: (namespace: FileDescriptor, home: FileDescriptor, slot: FileDescriptor)?
            if case .namespace(let path) = spec.sharedMemory {
                sharedMemory = (try FileDescriptor.open(path, O_RDONLY),
                                try FileDescriptor.open("/proc/self/ns/mnt", O_RDONLY),
                                try FileDescriptor.open("/dev/null", O_RDONLY))
            }
            let plan = try ChildPlan(
                spec: spec, state: state, stdio: stdio, network: network?.rawValue, terminalSocket: terminalSocket,
                userNamespaceSync: sync?.child, overlayMount: idmapped?.overlay.rawValue,
                sharedMemoryTree: sharedMemory.map { ($0.namespace.rawValue, $0.home.rawValue, $0.slot.rawValue) })
            let listener = try UnixSocket.listen(at: state.attachSocket)
            do {
                var cloneFlags = 0
                switch spec.pidNamespace {
                case .private where spec.userNamespace != nil:
                    cloneFlags = Int(CLS_CLONE_NEWPID)  // created with the user namespace, so owned by it
                case .private: try retryingInterrupts("unshare") { cls_unshare(Int32(CLS_CLONE_NEWPID)) }
                case .host: break
                case .path(let path):
                    let namespace = try FileDescriptor.open(path, O_RDONLY)
                    try retryingInterrupts("setns") { cls_setns(namespace.rawValue, Int32(CLS_CLONE_NEWPID)) }
                }
                if case .path(let path) = spec.ipcNamespace {
                    // Joined here, on the thread that forks, so the child starts in it.
                    let namespace = try FileDescriptor.open(path, O_RDONLY)
                    try retryingInterrupts("setns") { cls_setns(namespace.rawValue, Int32(CLS_CLONE_NEWIPC)) }
                }
                if spec.userNamespace != nil { cloneFlags |= Int(CLS_CLONE_NEWUSER) }
                let pid = withExtendedLifetime((devNull, network, idmapped, sharedMemory)) { () -> pid_t in
                    let pid = cloneFlags == 0 ? cls_fork() : cls_fork_into_namespaces(UInt(cloneFlags))
                    if pid == 0 { ChildProcess.run(plan, errorFD: failures.write) }
                    return pid
                }
                if pid < 0 { throw SystemError.current(cloneFlags == 0 ? "fork" : "clone") }
                if let userNamespace = spec.userNamespace, let sync {
                    do {
                        try writeMaps(userNamespace, pid: pid)
                        var go: UInt8 = 1
                        _ = cls_write_all(sync.monitor.rawValue, &go, 1)
                    } catch {
                        _ = kill(pid, SIGKILL)
                        var status: Int32 = 0
                        _ = waitpid(pid, &status, 0)
                        throw error
                    }
                }
                close(failures.write)
                failures.write = -1
                for fd in childEnds { close(fd) }
                childEnds = []
                let bytes = try failures.read.readAll()
                if bytes.count >= 8 {
                    let (step, errno) = bytes.withUnsafeBytes { raw in
                        (raw.load(fromByteOffset: 0, as: Int32.self), raw.load(fromByteOffset: 4, as: Int32.self))
                    }
                    var status: Int32 = 0
                    _ = waitpid(pid, &status, 0)
                    throw RuntimeError.startFailed(plan.failure(step: step, errno: Errno(rawValue: errno),
                                                                command: spec.command.first ?? "",
                                                                workingDirectory: spec.workingDirectory))
                }
                var terminal: FileDescriptor?
                if let terminalReceiver {
                    var fd: Int32 = -1
                    var tag: UInt8 = 0
                    if cls_receive_descriptor(terminalReceiver.rawValue, &fd, &tag) < 0 || fd < 0 {
                        _ = kill(pid, SIGKILL)
                        var status: Int32 = 0
                        _ = waitpid(pid, &status, 0)
                        throw SystemError("receive the terminal's master", errno: .ioError)
                    }
                    let master = FileDescriptor(owning: fd)
                    terminal = master
                    outputs = [(master, .stdout)]
                    if spec.openStdin { stdinWriter = master }
                }
                for output in outputs { _ = cls_set_nonblocking(output.fd.rawValue, 1) }
                if let stdinWriter { _ = cls_set_nonblocking(stdinWriter.rawValue, 1) }
                return MonitoredContainer(
                    pid: pid, outputs: outputs, stdin: stdinWriter, terminal: terminal, listener: listener,
                    socketPath: state.attachSocket, log: log, stdinOnce: spec.stdinOnce,
                    awaitAttach: spec.awaitAttach)
            } catch {
                _ = unlink(state.attachSocket)
                throw error
            }
        } catch let error as SystemError {
            throw RuntimeError.system(error)
        }
    }

    /// Serves attached clients and copies the container's output into the log until the output ends, removes the
    /// attach socket, then reaps pid 1.
    func monitor() -> ContainerExit {
        let server = AttachServer(container: self)
        server.run()
        _ = unlink(socketPath)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if Errno.current != .interrupted {
                return ContainerExit(exitCode: 255, finishedAt: JSONLogLine.now(), error: "waitpid: \(Errno.current)")
            }
        }
        return ContainerExit(statusCode: cls_wait_status_code(status), finishedAt: JSONLogLine.now())
    }

    /// The network namespace stays the host user namespace's, where the remapped root has no capability: let it
    /// bind ports below 1024 and open ICMP sockets through the sysctls dockerd sets in every container
    /// (`ip_unprivileged_port_start=0`, `ping_group_range=0 2147483647`). Best effort: a kernel without one keeps
    /// its default. The monitor has joined the namespace, so `/proc/sys/net` is the container's.
    private static func unprivilegedPortsAndPing() {
        for (path, value) in [("/proc/sys/net/ipv4/ip_unprivileged_port_start", "0"),
                              ("/proc/sys/net/ipv4/ping_group_range", "0 2147483647")] {
            guard let file = try? FileDescriptor.open(path, O_WRONLY) else { continue }
            let bytes = Array(value.utf8)
            _ = bytes.withUnsafeBytes { cls_write_all(file.rawValue, $0.baseAddress, $0.count) }
        }
    }

    /// The container's overlay as a detached mount over idmapped copies of its lower layers (a user namespace with
    /// the container's maps made for the purpose): host id N in a layer is seen as container id N. The trees stay
    /// open until pid 1 has attached the overlay.
    static func idmappedOverlay(_ userNamespace: UserNamespaceSpec, lower: [String], upper: String, work: String)
        throws(SystemError) -> (trees: [FileDescriptor], overlay: FileDescriptor)
    {
        let uidMap = UserNamespaceSpec.mapText(userNamespace.uidMappings)
        let gidMap = UserNamespaceSpec.mapText(userNamespace.gidMappings)
        let namespace = cls_user_namespace_fd(uidMap, gidMap)
        if namespace < 0 { throw SystemError.current("create a user namespace for idmapped layers") }
        let owned = FileDescriptor(owning: namespace)
        var trees: [FileDescriptor] = []
        for path in lower {
            let tree = cls_idmapped_tree(path, owned.rawValue)
            if tree < 0 { throw SystemError.current("mount_setattr MOUNT_ATTR_IDMAP", path: path) }
            trees.append(FileDescriptor(owning: tree))
        }
        let lowerdir = trees.map { "/proc/self/fd/\($0.rawValue)" }.joined(separator: ":")
        let overlay = cls_overlay_mount_fd(lowerdir, upper, work)
        if overlay < 0 { throw SystemError.current("fsmount overlay on idmapped layers", path: upper) }
        return (trees, FileDescriptor(owning: overlay))
    }

    /// Writes the user namespace's gid and uid maps of `pid` (the monitor is root on the host: no newuidmap).
    private static func writeMaps(_ userNamespace: UserNamespaceSpec, pid: pid_t) throws(SystemError) {
        for (file, mappings) in [("gid_map", userNamespace.gidMappings), ("uid_map", userNamespace.uidMappings)] {
            let path = "/proc/\(pid)/\(file)"
            let map = try FileDescriptor.open(path, O_WRONLY)
            let bytes = Array(UserNamespaceSpec.mapText(mappings).utf8)
            let written = bytes.withUnsafeBytes { cls_write_all(map.rawValue, $0.baseAddress, $0.count) }
            if written != 0 { throw SystemError.current("write", path: path) }
        }
    }

    /// A pipe whose read end is owned and whose write end the caller closes.
    private static func pipe() throws(SystemError) -> (read: FileDescriptor, write: Int32) {
        var fds: [Int32] = [0, 0]
        try retryingInterrupts("pipe2") { cls_pipe_cloexec(&fds) }
        return (FileDescriptor(owning: fds[0]), fds[1])
    }
}
