import Glibc

/// One thing the container's first process does between fork and exec; every string is a C string made before
/// the fork (see `CStringArena`).
enum ChildStep {
    typealias CString = UnsafeMutablePointer<CChar>

    /// Writes `0` (the caller) into a `cgroup.procs` file.
    case joinCgroup(CString)
    /// Opens a pseudo-terminal in the current `/dev/ptmx` with the given size (0 x 0: the default), sends its master
    /// over the unix socket `socket` and makes its slave fds 0, 1 and 2.
    case openTerminal(socket: Int32, rows: UInt16, columns: UInt16)
    /// Makes fd 0 the controlling terminal (`TIOCSCTTY`); needs a session of our own first.
    case setControllingTerminal
    /// `dup2(from, to)`.
    case duplicate(from: Int32, to: Int32)
    /// `setns(fd, CLONE_NEWNET)`.
    case joinNetwork(fd: Int32)
    /// Reads one byte from `fd`: waits until the monitor has written the user namespace's maps (end of file: it
    /// failed, and the step fails with `EPIPE`).
    case awaitParent(fd: Int32)
    /// `setresgid(0, 0, 0)` and `setresuid(0, 0, 0)`: root of the new user namespace (the remapped host ids).
    case becomeRoot
    /// Attaches the detached mount `fd` at `target` (`move_mount`): the overlay the monitor built.
    case moveMount(fd: Int32, target: CString)
    /// A detached copy of the mount at `path` in mount namespace `namespace`, made descriptor `into`; then back to
    /// mount namespace `home` (`cls_clone_tree_from`): another container's `/dev/shm`.
    case cloneTree(namespace: Int32, home: Int32, path: CString, into: Int32)
    /// `unshare(flags)`.
    case unshare(flags: Int32)
    /// `mount(2)`.
    case mount(source: CString?, target: CString, type: CString?, flags: UInt, data: CString?)
    /// `mkdir`, an existing directory being fine.
    case makeDirectory(CString)
    /// Creates an empty file unless one exists (a bind-mount target).
    case makeFile(CString)
    /// `mknod` of a character device.
    case makeNode(CString, mode: mode_t, device: dev_t)
    /// `symlink(target, path)`, an existing path being fine.
    case symlink(target: CString, path: CString)
    /// `chdir(root)`, `pivot_root(".", ".")`, `umount2(".", MNT_DETACH)`, `chdir("/")`.
    case pivotRoot(CString, dot: CString, slash: CString)
    /// Hides a path: tmpfs (read-only) on a directory, `/dev/null` on anything else; a missing path is fine.
    case mask(CString, devNull: CString, tmpfs: CString)
    /// Bind-mounts a path onto itself read-only; a missing path is fine.
    case readOnly(CString)
    /// Remounts a bind mount read-only.
    case remountReadOnly(CString)
    /// `sethostname`.
    case setHostname(CString, length: Int)
    /// `setrlimit` of one resource.
    case setResourceLimit(Int32, soft: UInt64, hard: UInt64)
    /// Writes `length` bytes to an existing file (a kernel parameter under `/proc/sys`).
    case writeFile(CString, bytes: CString, length: Int)
    /// `chdir`.
    case changeDirectory(CString)
    /// Resets every signal to its default and unblocks all (the monitor ignores SIGPIPE; ignored signals survive
    /// exec) and starts a new session, as runc does.
    case resetSignalsAndSession
    /// `umask`.
    case umask(mode_t)
    /// Installs the classic BPF program (seccomp).
    case installSeccomp
    /// Removes one capability from the bounding set.
    case dropBounding(Int32)
    /// Sets or clears `PR_SET_KEEPCAPS`.
    case keepCapabilities(Bool)
    /// `setgroups` with the plan's supplementary groups.
    case setGroups
    /// `setgid`.
    case setGroupID(gid_t)
    /// `setuid`.
    case setUserID(uid_t)
    /// `capset` with effective = permitted = the mask, inheritable empty.
    case setCapabilities(UInt64)
    /// Sets `no_new_privs`.
    case noNewPrivileges
    /// `execve` each candidate path in turn.
    case execute
}
