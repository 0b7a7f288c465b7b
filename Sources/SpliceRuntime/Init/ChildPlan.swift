import CLinuxShims
import Glibc
import SystemKit

/// Everything the container's first process does between fork and exec, worked out before the fork.
final class ChildPlan {
    /// The standard devices Docker creates in a container's `/dev`: name, major and minor number (devices.txt).
    static let devices: [(name: String, major: UInt32, minor: UInt32)] = [
        ("null", 1, 3), ("zero", 1, 5), ("full", 1, 7), ("random", 1, 8), ("urandom", 1, 9), ("tty", 5, 0),
    ]

    let arena = CStringArena()
    private(set) var steps: [ChildStep] = []
    private(set) var descriptions: [String] = []
    private(set) var candidates: [UnsafeMutablePointer<CChar>] = []
    let argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
    let envp: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
    let groups: [gid_t]
    let seccompProgram: [UInt8]

    /// Plans the setup of `spec`; `stdio` are the descriptors for the container's fds 0, 1 and 2 and `network` the
    /// namespace to join (nil for the host's). With `terminalSocket` (when `spec.tty`), the process opens a
    /// pseudo-terminal in the container's `/dev/pts`, sends its master over that socket and takes the slave as its
    /// stdio and controlling terminal. With `spec.userNamespace` the process starts in a new user namespace (the
    /// monitor joined the network namespace before the clone): it waits on `userNamespaceSync` for the monitor to
    /// write its maps, becomes the namespace's root, and binds the host's devices and `/sys` (which a user
    /// namespace may not create or mount). With `sharedMemoryTree` (`--ipc container:NAME`) it copies `/dev/shm`
    /// from the mount namespace `namespace` into descriptor `slot`, returns to `home`, and attaches it.
    init(spec: ContainerSpec, state: StateDirectory, stdio: [Int32], network: Int32?,
         terminalSocket: Int32? = nil, userNamespaceSync: Int32? = nil, overlayMount: Int32? = nil,
         sharedMemoryTree: (namespace: Int32, home: Int32, slot: Int32)? = nil)
        throws(RuntimeError)
    {
        let remapped = spec.userNamespace != nil
        let arguments = spec.initBinary == nil ? spec.command : [MinimalInit.containerPath, "--"] + spec.command
        let process = try Process(
            command: arguments, workingDirectory: spec.workingDirectory, user: spec.user,
            environment: spec.environment, hostname: spec.hostname, capAdd: spec.capAdd, capDrop: spec.capDrop,
            privileged: spec.privileged, seccomp: spec.seccomp, compiled: spec.compiledSeccomp, arena: arena)
        let (command, user, capabilities) = (process.command, process.user, process.capabilities)
        (argv, envp, candidates, seccompProgram) = (process.argv, process.envp, process.candidates, process.seccomp)
        groups = spec.additionalGroups.map { gid_t($0) }
        let arena = self.arena

        for path in spec.cgroupProcs { add(.joinCgroup(arena.string(path)), "join cgroup \(path)") }
        for (target, source) in stdio.enumerated() { add(.duplicate(from: source, to: Int32(target)), "dup2 stdio") }
        add(.resetSignalsAndSession, "reset signals, setsid")
        if let network { add(.joinNetwork(fd: network), "setns network namespace") }
        if let userNamespaceSync {
            add(.awaitParent(fd: userNamespaceSync), "wait for the user namespace's maps")
            add(.becomeRoot, "setresuid 0 in the user namespace")
        }
        // After joining the cgroup, so that a cgroup namespace (v2) is rooted at the container's own.
        if case .namespace = spec.sharedMemory, let tree = sharedMemoryTree {
            // Before this process's own mount namespace: it copies the other container's /dev/shm from its mount
            // namespace, then comes back to the monitor's.
            add(.cloneTree(namespace: tree.namespace, home: tree.home, path: arena.string("/dev/shm"), into: tree.slot),
                "copy the shared /dev/shm")
        }
        // The IPC namespace of `--ipc host|container:NAME` is the monitor's own by now (it joined it before the fork).
        var namespaces = CLS_CLONE_NEWNS | (spec.ipcNamespace == .private ? CLS_CLONE_NEWIPC : 0)
        if !spec.hostUTS { namespaces |= CLS_CLONE_NEWUTS }
        if spec.privateCgroupNamespace { namespaces |= CLS_CLONE_NEWCGROUP }
        add(.unshare(flags: Int32(namespaces)), "unshare namespaces \(String(namespaces, radix: 16))")
        add(.umask(0), "umask")
        add(.mount(source: nil, target: arena.string("/"), type: nil, flags: UInt(MS_REC | MS_PRIVATE), data: nil),
            "make / private")

        let root: String
        switch spec.rootfs {
        case .directory(let path):
            guard path.hasPrefix("/") else { throw .invalidSpec("rootfs path must be absolute") }
            root = path
            addMount(path, on: path, type: nil, flags: MS_BIND | MS_REC)
        case .overlay(let lower, let upper, let work):
            let all = lower + [upper, work]
            guard !lower.isEmpty, all.allSatisfy({ $0.hasPrefix("/") && !$0.contains(",") && !$0.contains(":") })
            else { throw .invalidSpec("overlay directories must be absolute, without ',' or ':'") }
            root = state.rootfs
            try Self.makeDirectory(root)
            if let overlayMount {
                add(.moveMount(fd: overlayMount, target: arena.string(root)), "attach the idmapped overlay on \(root)")
            } else {
                addMount(
                    "overlay", on: root, type: "overlay", flags: 0,
                    data: "lowerdir=\(lower.joined(separator: ":")),upperdir=\(upper),workdir=\(work)"
                        + (spec.volatileUpper ? ",volatile" : ""))
            }
        }

        let noExec = MS_NOSUID | MS_NODEV | MS_NOEXEC
        addDirectory(root + "/proc")
        addMount("proc", on: root + "/proc", type: "proc", flags: noExec)
        addDirectory(root + "/dev")
        addMount("tmpfs", on: root + "/dev", type: "tmpfs", flags: MS_NOSUID | MS_STRICTATIME, data: "mode=755,size=65536k")
        for device in Self.devices where remapped {
            let path = root + "/dev/" + device.name
            add(.makeFile(arena.string(path)), "create /dev/\(device.name)")
            addMount("/dev/" + device.name, on: path, type: nil, flags: MS_BIND)
        }
        for device in Self.devices where !remapped {
            let path = root + "/dev/" + device.name
            add(.makeNode(arena.string(path), mode: S_IFCHR | 0o666, device: dev_t(cls_makedev(device.major, device.minor))),
                "mknod \(path)")
        }
        addDirectory(root + "/dev/pts")
        addMount("devpts", on: root + "/dev/pts", type: "devpts", flags: MS_NOSUID | MS_NOEXEC,
                 data: "newinstance,ptmxmode=0666,mode=0620,gid=5")
        addSymlink("pts/ptmx", at: root + "/dev/ptmx")
        addSymlink("/proc/self/fd", at: root + "/dev/fd")
        for (index, name) in ["stdin", "stdout", "stderr"].enumerated() {
            addSymlink("/proc/self/fd/\(index)", at: root + "/dev/" + name)
        }
        switch spec.sharedMemory {
        case .tmpfs:
            addDirectory(root + "/dev/shm")
            addMount("shm", on: root + "/dev/shm", type: "tmpfs", flags: noExec,
                     data: "mode=1777,size=" + (spec.shmSize.map { String($0) } ?? "65536k"))
        case .host:
            addDirectory(root + "/dev/shm")
            addMount("/dev/shm", on: root + "/dev/shm", type: nil, flags: MS_BIND | MS_REC)
        case .namespace:
            guard let sharedMemoryTree else { throw .invalidSpec("no descriptors for the shared /dev/shm") }
            addDirectory(root + "/dev/shm")
            add(.moveMount(fd: sharedMemoryTree.slot, target: arena.string(root + "/dev/shm")),
                "attach the shared /dev/shm")
        case .none:
            break
        }
        addDirectory(root + "/dev/mqueue")
        addMount("mqueue", on: root + "/dev/mqueue", type: "mqueue", flags: noExec)
        addDirectory(root + "/sys")
        if remapped {
            // sysfs belongs to the network namespace's owner (the host's user namespace): bind the host's instead.
            addMount("/sys", on: root + "/sys", type: nil, flags: MS_BIND | MS_REC)
            if !spec.privileged { add(.remountReadOnly(arena.string(root + "/sys")), "remount /sys read-only") }
        } else {
            addMount("sysfs", on: root + "/sys", type: "sysfs", flags: noExec | (spec.privileged ? 0 : MS_RDONLY))
        }
        addCgroupView(spec.cgroupView, at: root + "/sys/fs/cgroup", writable: spec.privileged,
                      namespaced: spec.privateCgroupNamespace)

        addDirectory(root + "/etc")
        for (source, target) in [(state.hostname, "/etc/hostname"), (state.hosts, "/etc/hosts"),
                                 (state.resolvConf, "/etc/resolv.conf")] {
            add(.makeFile(arena.string(root + target)), "create \(target)")
            addMount(source, on: root + target, type: nil, flags: MS_BIND)
        }
        for volume in spec.mounts {
            guard volume.target.hasPrefix("/"), !volume.target.split(separator: "/").contains("..") else {
                throw .invalidSpec("mount target \"\(volume.target)\" must be absolute without '..'")
            }
            var info = stat()
            guard stat(volume.source, &info) == 0 else { throw .system(.current("stat", path: volume.source)) }
            let components = volume.target.split(separator: "/").map(String.init)
            var path = root
            for (index, component) in components.enumerated() {
                path += "/" + component
                if index < components.count - 1 || info.st_mode & S_IFMT == S_IFDIR {
                    addDirectory(path)
                } else {
                    add(.makeFile(arena.string(path)), "create \(volume.target)")
                }
            }
            addMount(volume.source, on: path, type: nil, flags: MS_BIND | MS_REC)
            if let propagation = volume.propagation, !propagation.isEmpty {
                guard let flags = BindMount.propagations[propagation] else {
                    throw .invalidSpec("unknown mount propagation \"\(propagation)\"")
                }
                add(.mount(source: nil, target: arena.string(path), type: nil, flags: UInt(flags), data: nil),
                    "make \(volume.target) \(propagation)")
            }
            if volume.readOnly { add(.remountReadOnly(arena.string(path)), "remount \(volume.target) read-only") }
        }

        for tmpfs in spec.tmpfs {
            guard tmpfs.target.hasPrefix("/"), !tmpfs.target.split(separator: "/").contains("..") else {
                throw .invalidSpec("tmpfs target \"\(tmpfs.target)\" must be absolute without '..'")
            }
            let (flags, data) = try tmpfs.mountArguments()
            var path = root
            for component in tmpfs.target.split(separator: "/") {
                path += "/" + component
                addDirectory(path)
            }
            addMount("tmpfs", on: path, type: "tmpfs", flags: flags, data: data.isEmpty ? nil : data)
        }
        if let initBinary = spec.initBinary {
            addDirectory(root + "/sbin")
            let target = root + MinimalInit.containerPath
            add(.makeFile(arena.string(target)), "create \(MinimalInit.containerPath)")
            addMount(initBinary, on: target, type: nil, flags: MS_BIND)
            add(.remountReadOnly(arena.string(target)), "remount \(MinimalInit.containerPath) read-only")
        }

        if let adjust = spec.oomScoreAdjust { addOOMScoreAdjust(adjust) }
        add(.pivotRoot(arena.string(root), dot: arena.string("."), slash: arena.string("/")), "pivot_root \(root)")
        for limit in spec.resourceLimits {
            guard let resource = ResourceLimit.resources[limit.name] else {
                throw .invalidSpec("invalid ulimit type: \(limit.name)")
            }
            let soft = limit.soft < 0 ? UInt64.max : UInt64(limit.soft)
            let hard = limit.hard < 0 ? UInt64.max : UInt64(limit.hard)
            add(.setResourceLimit(resource, soft: soft, hard: hard), "setrlimit \(limit.name)")
        }
        // In the container's network and IPC namespaces, with its /proc, before /proc/sys is made read-only.
        for (key, value) in spec.sysctls.sorted(by: { $0.key < $1.key }) {
            let path = "/proc/sys/" + String(key.map { $0 == "." ? "/" : $0 })
            add(.writeFile(arena.string(path), bytes: arena.string(value), length: value.utf8.count),
                "sysctl \(key)=\(value)")
        }
        if !spec.privileged {
            let devNull = arena.string("/dev/null")
            let tmpfs = arena.string("tmpfs")
            for path in ContainerSpec.maskedPaths {
                add(.mask(arena.string(path), devNull: devNull, tmpfs: tmpfs), "mask \(path)")
            }
            for path in ContainerSpec.readOnlyPaths { add(.readOnly(arena.string(path)), "read-only \(path)") }
        }
        if spec.readonlyRootfs { add(.remountReadOnly(arena.string("/")), "remount / read-only") }
        if !spec.hostname.isEmpty && !spec.hostUTS {
            add(.setHostname(arena.string(spec.hostname), length: spec.hostname.utf8.count), "sethostname")
        }
        if let terminalSocket { addTerminal(socket: terminalSocket, size: spec.consoleSize) }
        add(.changeDirectory(arena.string(spec.workingDirectory)), "chdir \(spec.workingDirectory)")
        add(.umask(0o022), "umask")
        addCredentials(user: user, capabilities: capabilities, noNewPrivileges: spec.noNewPrivileges)
        add(.execute, "exec \(command)")
    }

    /// Plans the child of `splice-init exec`, already in the container's namespaces and cgroups: chdir, terminal,
    /// credentials, exec. `hostname` fills `HOSTNAME` when the spec's environment has none.
    init(exec spec: ExecSpec, hostname: String, terminalSocket: Int32?) throws(RuntimeError) {
        let process = try Process(
            command: spec.command, workingDirectory: spec.workingDirectory, user: spec.user,
            environment: spec.environment, hostname: hostname, capAdd: spec.capAdd, capDrop: spec.capDrop,
            privileged: spec.privileged, seccomp: spec.seccomp, compiled: spec.compiledSeccomp, arena: arena)
        let (command, user, capabilities) = (process.command, process.user, process.capabilities)
        (argv, envp, candidates, seccompProgram) = (process.argv, process.envp, process.candidates, process.seccomp)
        groups = spec.additionalGroups.map { gid_t($0) }
        let arena = self.arena
        add(.resetSignalsAndSession, "reset signals, setsid")
        if let adjust = spec.oomScoreAdjust { addOOMScoreAdjust(adjust) }
        add(.changeDirectory(arena.string(spec.workingDirectory)), "chdir \(spec.workingDirectory)")
        if let terminalSocket, spec.tty { addTerminal(socket: terminalSocket, size: spec.consoleSize) }
        addCredentials(user: user, capabilities: capabilities, noNewPrivileges: spec.noNewPrivileges)
        add(.execute, "exec \(command)")
    }

    /// Writes `adjust` to the process's `oom_score_adj` (`--oom-score-adj`).
    private func addOOMScoreAdjust(_ adjust: Int) {
        let value = String(adjust)
        add(.writeFile(arena.string("/proc/self/oom_score_adj"), bytes: arena.string(value), length: value.utf8.count),
            "oom_score_adj \(value)")
    }

    /// What pid 1 and an exec's process share: the command and where to find it, the environment, the user, the
    /// capabilities and the seccomp program, checked and resolved before the fork.
    private struct Process {
        let command: String
        let user: ContainerUser
        let capabilities: CapabilitySet
        let argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
        let envp: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
        let candidates: [UnsafeMutablePointer<CChar>]
        let seccomp: [UInt8]

        init(command arguments: [String], workingDirectory: String, user: String, environment: [String],
             hostname: String, capAdd: [String], capDrop: [String], privileged: Bool, seccomp: SeccompSetting,
             compiled: CompiledSeccomp?,
             arena: CStringArena) throws(RuntimeError) {
            guard let command = arguments.first, !command.isEmpty else { throw .invalidSpec("empty command") }
            guard workingDirectory.hasPrefix("/") else { throw .invalidSpec("working directory must be absolute") }
            self.command = command
            self.user = try ContainerUser.parse(user)
            let environment = try ContainerEnvironment(environment, hostname: hostname, user: self.user)
            capabilities = try ChildPlan.capabilities(add: capAdd, drop: capDrop, privileged: privileged)
            argv = arena.array(arguments)
            envp = arena.array(environment.entries)
            candidates = environment.executableCandidates(for: command).map { arena.string($0) }
            switch seccomp {
            case _ where privileged, .unconfined: self.seccomp = []
            case .default:
                if let compiled, compiled.capabilities == capabilities.mask {
                    self.seccomp = [UInt8](compiled.program)
                } else {
                    self.seccomp = try SeccompFilter.dockerDefaultBPF(capabilities: capabilities)
                }
            case .custom(let profile): self.seccomp = try SeccompFilter(SeccompTranslation(profile)).bpf()
            }
        }
    }

    /// The container's own cgroup at `path`, as Docker mounts it: v1, a tmpfs with one bind of the container's
    /// directory per hierarchy and links for co-mounted controllers; v2, cgroup2 when `namespaced` (the new cgroup
    /// namespace's root is the container's cgroup), else a bind of its directory. Read-only unless `writable`
    /// (`--privileged`).
    private func addCgroupView(_ view: CgroupView, at path: String, writable: Bool, namespaced: Bool) {
        let flags = MS_NOSUID | MS_NODEV | MS_NOEXEC
        switch view {
        case .none:
            return
        case .unified(let source) where !namespaced:
            addMount(source, on: path, type: nil, flags: MS_BIND)
            add(.mount(source: nil, target: arena.string(path), type: nil,
                       flags: UInt(MS_BIND | MS_REMOUNT | flags | (writable ? 0 : MS_RDONLY)), data: nil),
                "remount \(path)")
        case .unified:
            addMount("cgroup", on: path, type: "cgroup2", flags: flags | (writable ? 0 : MS_RDONLY))
        case .v1(let hierarchies):
            // A bind's flags apply on a remount; nosuid, nodev, noexec (and read-only) as Docker's.
            let remount = MS_BIND | MS_REMOUNT | flags | (writable ? 0 : MS_RDONLY)
            addMount("tmpfs", on: path, type: "tmpfs", flags: flags, data: "mode=755")
            for hierarchy in hierarchies {
                let target = path + "/" + hierarchy.name
                addDirectory(target)
                addMount(hierarchy.source, on: target, type: nil, flags: MS_BIND)
                add(.mount(source: nil, target: arena.string(target), type: nil, flags: UInt(remount), data: nil),
                    "remount \(target)")
                for alias in hierarchy.aliases { addSymlink(hierarchy.name, at: path + "/" + alias) }
            }
            add(.mount(source: nil, target: arena.string(path), type: nil, flags: UInt(remount), data: nil),
                "remount \(path)")
        }
    }

    /// The pseudo-terminal steps; the session (setsid) must already be the process's own.
    private func addTerminal(socket: Int32, size: TerminalSize?) {
        add(.openTerminal(socket: socket, rows: size?.rows ?? 0, columns: size?.columns ?? 0), "open /dev/ptmx")
        add(.setControllingTerminal, "ioctl TIOCSCTTY")
    }

    /// Seccomp, the bounding set, groups, uid/gid, capabilities and no_new_privs, in runc's order.
    private func addCredentials(user: ContainerUser, capabilities: CapabilitySet, noNewPrivileges: Bool) {
        // Without no_new_privs the filter goes in while we still hold CAP_SYS_ADMIN (as runc does); with it, last.
        if !seccompProgram.isEmpty && !noNewPrivileges { add(.installSeccomp, "install seccomp filter") }
        let lastCapability = Self.lastCapability()
        for number in 0...lastCapability where !capabilities.contains(Capability(rawValue: number)) {
            add(.dropBounding(number), "drop capability \(Capability(rawValue: number)) from the bounding set")
        }
        add(.keepCapabilities(true), "prctl PR_SET_KEEPCAPS")
        add(.setGroups, "setgroups")
        add(.setGroupID(user.gid), "setgid \(user.gid)")
        add(.setUserID(user.uid), "setuid \(user.uid)")
        add(.keepCapabilities(false), "prctl PR_SET_KEEPCAPS")
        // As Docker: a non-root user starts with no effective or permitted capabilities.
        add(.setCapabilities(user.uid == 0 ? capabilities.mask : 0), "capset")
        if noNewPrivileges { add(.noNewPrivileges, "prctl PR_SET_NO_NEW_PRIVS") }
        if !seccompProgram.isEmpty && noNewPrivileges { add(.installSeccomp, "install seccomp filter") }
    }

    /// The description of step `index`, for the error the monitor reports.
    func describe(step index: Int32) -> String {
        descriptions.indices.contains(Int(index)) ? descriptions[Int(index)] : "step \(index)"
    }

    private func add(_ step: ChildStep, _ description: String) {
        steps.append(step)
        descriptions.append(description)
    }

    private func addDirectory(_ path: String) { add(.makeDirectory(arena.string(path)), "mkdir \(path)") }

    private func addSymlink(_ target: String, at path: String) {
        add(.symlink(target: arena.string(target), path: arena.string(path)), "symlink \(path)")
    }

    private func addMount(_ source: String, on target: String, type: String?, flags: Int, data: String? = nil) {
        add(.mount(source: arena.string(source), target: arena.string(target), type: type.map { arena.string($0) },
                   flags: UInt(flags), data: data.map { arena.string($0) }),
            "mount \(type ?? "bind") \(source) on \(target)")
    }

    private static func makeDirectory(_ path: String) throws(RuntimeError) {
        if mkdir(path, 0o755) != 0, Errno.current != .exists { throw .system(.current("mkdir", path: path)) }
    }

    /// The capabilities a process gets for these options: Docker's default set with `add` and `drop` (all with
    /// `privileged`), less what this process itself lacks (a host that is a container cannot grant them).
    static func capabilities(add: [String], drop: [String], privileged: Bool) throws(RuntimeError) -> CapabilitySet {
        var held: UInt64 = 0
        if cls_capget_effective(&held) != 0 { throw .system(.current("capget")) }
        let wanted = try CapabilitySet.resolve(add: add, drop: drop, privileged: privileged,
                                               every: .upTo(ChildPlan.lastCapability()))
        return CapabilitySet(mask: wanted.mask & held)
    }

    /// The highest capability the running kernel knows (`/proc/sys/kernel/cap_last_cap`).
    static func lastCapability() -> Int32 {
        let fallback = Capability.known.map(\.0.rawValue).max() ?? 0
        guard let bytes = try? FileDescriptor.open("/proc/sys/kernel/cap_last_cap").readAll() else { return fallback }
        let text = String(decoding: bytes, as: UTF8.self).filter { !$0.isWhitespace }
        return Int32(text) ?? fallback
    }
}
