import CLinuxShims
import Glibc

/// The container's first process between fork and exec: runs the plan's steps with plain system calls and, on
/// failure, writes `[step index, errno]` to the error pipe and exits 127.
enum ChildProcess {
    /// Runs `plan` in the forked child; never returns.
    static func run(_ plan: ChildPlan, errorFD: Int32) -> Never {
        for index in plan.steps.indices {
            let result = perform(plan.steps[index], plan)
            if result != 0 { fail(Int32(index), errno: result, errorFD: errorFD) }
        }
        fail(Int32(plan.steps.count), errno: ENOEXEC, errorFD: errorFD)
    }

    /// Performs one step; returns 0 or the errno.
    private static func perform(_ step: ChildStep, _ plan: ChildPlan) -> Int32 {
        func check(_ result: Int32) -> Int32 { result == 0 ? 0 : cls_errno() }
        switch step {
        case .joinCgroup(let path):
            let fd = open(path, O_WRONLY | O_CLOEXEC)
            if fd < 0 { return cls_errno() }
            var zero = UInt8(ascii: "0")
            var result = write(fd, &zero, 1)
            while result < 0 && cls_errno() == EINTR { result = write(fd, &zero, 1) }
            let error = cls_errno()
            close(fd)
            return result == 1 ? 0 : error
        case .openTerminal(let socket, let rows, let columns):
            var master: Int32 = -1
            var slave: Int32 = -1
            if cls_open_terminal(rows, columns, &master, &slave) != 0 { return cls_errno() }
            let sent = cls_send_descriptor(socket, master, 1)
            let error = cls_errno()
            close(master)
            if sent != 0 { return error }
            for target in Int32(0)...2 where dup2(slave, target) != target { return cls_errno() }
            if slave > 2 { close(slave) }
            return 0
        case .setControllingTerminal:
            return check(cls_set_controlling_terminal(0))
        case .duplicate(let from, let to):
            return dup2(from, to) == to ? 0 : cls_errno()
        case .joinNetwork(let fd):
            return check(cls_setns(fd, Int32(CLS_CLONE_NEWNET)))
        case .awaitParent(let fd):
            var byte: UInt8 = 0
            var count = read(fd, &byte, 1)
            while count < 0 && cls_errno() == EINTR { count = read(fd, &byte, 1) }
            if count < 0 { return cls_errno() }
            close(fd)
            return count == 1 ? 0 : EPIPE
        case .becomeRoot:
            return check(cls_become_root())
        case .moveMount(let fd, let target):
            return check(cls_move_mount(fd, target))
        case .cloneTree(let namespace, let home, let path, let into):
            return check(cls_clone_tree_from(namespace, home, path, into))
        case .unshare(let flags):
            return check(cls_unshare(flags))
        case .mount(let source, let target, let type, let flags, let data):
            return check(mount(source, target, type, flags, data))
        case .makeDirectory(let path):
            if mkdir(path, 0o755) == 0 || cls_errno() == EEXIST { return 0 }
            return cls_errno()
        case .makeFile(let path):
            let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
            if fd < 0 { return cls_errno() }
            close(fd)
            return 0
        case .makeNode(let path, let mode, let device):
            if mknod(path, mode, device) == 0 || cls_errno() == EEXIST { return 0 }
            return cls_errno()
        case .symlink(let target, let path):
            if symlink(target, path) == 0 || cls_errno() == EEXIST { return 0 }
            return cls_errno()
        case .pivotRoot(let root, let dot, let slash):
            if chdir(root) != 0 || cls_pivot_root(dot, dot) != 0 || umount2(dot, Int32(MNT_DETACH)) != 0
                || chdir(slash) != 0
            {
                return cls_errno()
            }
            return 0
        case .mask(let path, let devNull, let tmpfs):
            var info = stat()
            if stat(path, &info) != 0 { return cls_errno() == ENOENT ? 0 : cls_errno() }
            if info.st_mode & S_IFMT == S_IFDIR {
                return check(mount(tmpfs, path, tmpfs, UInt(MS_RDONLY), nil))
            }
            return check(mount(devNull, path, nil, UInt(MS_BIND), nil))
        case .readOnly(let path):
            if mount(path, path, nil, UInt(MS_BIND | MS_REC), nil) != 0 {
                return cls_errno() == ENOENT ? 0 : cls_errno()
            }
            // Keep what the bind inherited from /proc (nosuid, nodev, noexec, as Docker's /proc/sys shows):
            // a remount without them would clear them.
            var info = statvfs()
            if statvfs(path, &info) != 0 { return cls_errno() }
            let kept = info.f_flag & UInt(MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME | MS_RELATIME)
            return check(mount(nil, path, nil, UInt(MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC) | kept, nil))
        case .remountReadOnly(let path):
            // The flags a mount from a more privileged user namespace has are locked: keep them (as runc does).
            var info = statvfs()
            if statvfs(path, &info) != 0 { return cls_errno() }
            let kept = info.f_flag & UInt(MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME | MS_RELATIME)
            return check(mount(nil, path, nil, UInt(MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC) | kept, nil))
        case .setHostname(let name, let length):
            return check(sethostname(name, length))
        case .setResourceLimit(let resource, let soft, let hard):
            var limit = rlimit(rlim_cur: rlim_t(soft), rlim_max: rlim_t(hard))
            return check(setrlimit(__rlimit_resource_t(UInt32(resource)), &limit))
        case .writeFile(let path, let bytes, let length):
            let fd = open(path, O_WRONLY | O_CLOEXEC)
            if fd < 0 { return cls_errno() }
            var result = write(fd, bytes, length)
            while result < 0 && cls_errno() == EINTR { result = write(fd, bytes, length) }
            let error = cls_errno()
            close(fd)
            return result == length ? 0 : error
        case .changeDirectory(let path):
            return check(chdir(path))
        case .resetSignalsAndSession:
            cls_reset_signals()
            return setsid() < 0 ? cls_errno() : 0
        case .umask(let mode):
            _ = Glibc.umask(mode)
            return 0
        case .installSeccomp:
            return plan.seccompProgram.withUnsafeBytes { bytes in
                check(cls_seccomp_install(bytes.baseAddress, UInt16(bytes.count / 8)))
            }
        case .dropBounding(let capability):
            let result = cls_capbset_drop(capability)
            return result == 0 || cls_errno() == EINVAL ? 0 : cls_errno()
        case .keepCapabilities(let keep):
            return check(cls_set_keepcaps(keep ? 1 : 0))
        case .setGroups:
            return plan.groups.withUnsafeBufferPointer { buffer in check(setgroups(buffer.count, buffer.baseAddress)) }
        case .setGroupID(let gid):
            return check(setgid(gid))
        case .setUserID(let uid):
            return check(setuid(uid))
        case .setCapabilities(let mask):
            return check(cls_capset(mask, mask, 0))
        case .noNewPrivileges:
            return check(cls_set_no_new_privs())
        case .execute:
            var failure = ENOENT
            for candidate in plan.candidates {
                execve(candidate, plan.argv, plan.envp)
                let error = cls_errno()
                if error != ENOENT && error != ENOTDIR { failure = error }
            }
            return failure
        }
    }

    private static func fail(_ index: Int32, errno: Int32, errorFD: Int32) -> Never {
        var record: (Int32, Int32) = (index, errno)
        _ = withUnsafeBytes(of: &record) { bytes in cls_write_all(errorFD, bytes.baseAddress, bytes.count) }
        _exit(127)
    }
}
