import CLinuxShims
import Glibc

extension SeccompProfile {
    /// The calls Docker's default profile allows to every container: its allow-list without the `io_uring` calls,
    /// which Docker refuses since 25.0. Everything else is refused with EPERM unless a rule below allows it.
    public static let defaultAllowed: [String] = [
        "accept", "accept4", "access", "adjtimex", "alarm", "bind", "brk", "capget", "capset", "chdir", "chmod",
        "chown", "chown32", "clock_adjtime", "clock_adjtime64", "clock_getres", "clock_getres_time64", "clock_gettime",
        "clock_gettime64", "clock_nanosleep", "clock_nanosleep_time64", "close", "close_range", "connect",
        "copy_file_range", "creat", "dup", "dup2", "dup3", "epoll_create", "epoll_create1", "epoll_ctl",
        "epoll_ctl_old", "epoll_pwait", "epoll_pwait2", "epoll_wait", "epoll_wait_old", "eventfd", "eventfd2", "execve",
        "execveat", "exit", "exit_group", "faccessat", "faccessat2", "fadvise64", "fadvise64_64", "fallocate",
        "fanotify_mark", "fchdir", "fchmod", "fchmodat", "fchown", "fchown32", "fchownat", "fcntl", "fcntl64",
        "fdatasync", "fgetxattr", "flistxattr", "flock", "fork", "fremovexattr", "fsetxattr", "fstat", "fstat64",
        "fstatat64", "fstatfs", "fstatfs64", "fsync", "ftruncate", "ftruncate64", "futex", "futex_time64",
        "futex_waitv", "futimesat", "getcpu", "getcwd", "getdents", "getdents64", "getegid", "getegid32", "geteuid",
        "geteuid32", "getgid", "getgid32", "getgroups", "getgroups32", "getitimer", "getpeername", "getpgid", "getpgrp",
        "getpid", "getppid", "getpriority", "getrandom", "getresgid", "getresgid32", "getresuid", "getresuid32",
        "getrlimit", "get_robust_list", "getrusage", "getsid", "getsockname", "getsockopt", "get_thread_area", "gettid",
        "gettimeofday", "getuid", "getuid32", "getxattr", "inotify_add_watch", "inotify_init", "inotify_init1",
        "inotify_rm_watch", "io_cancel", "ioctl", "io_destroy", "io_getevents", "io_pgetevents", "io_pgetevents_time64",
        "ioprio_get", "ioprio_set", "io_setup", "io_submit", "ipc", "kill", "landlock_add_rule",
        "landlock_create_ruleset", "landlock_restrict_self", "lchown", "lchown32", "lgetxattr", "link", "linkat",
        "listen", "listxattr", "llistxattr", "_llseek", "lremovexattr", "lseek", "lsetxattr", "lstat", "lstat64",
        "madvise", "membarrier", "memfd_create", "memfd_secret", "mincore", "mkdir", "mkdirat", "mknod", "mknodat",
        "mlock", "mlock2", "mlockall", "mmap", "mmap2", "mprotect", "mq_getsetattr", "mq_notify", "mq_open",
        "mq_timedreceive", "mq_timedreceive_time64", "mq_timedsend", "mq_timedsend_time64", "mq_unlink", "mremap",
        "msgctl", "msgget", "msgrcv", "msgsnd", "msync", "munlock", "munlockall", "munmap", "name_to_handle_at",
        "nanosleep", "newfstatat", "_newselect", "open", "openat", "openat2", "pause", "pidfd_open",
        "pidfd_send_signal", "pipe", "pipe2", "pkey_alloc", "pkey_free", "pkey_mprotect", "poll", "ppoll",
        "ppoll_time64", "prctl", "pread64", "preadv", "preadv2", "prlimit64", "process_mrelease", "pselect6",
        "pselect6_time64", "pwrite64", "pwritev", "pwritev2", "read", "readahead", "readlink", "readlinkat", "readv",
        "recv", "recvfrom", "recvmmsg", "recvmmsg_time64", "recvmsg", "remap_file_pages", "removexattr", "rename",
        "renameat", "renameat2", "restart_syscall", "rmdir", "rseq", "rt_sigaction", "rt_sigpending", "rt_sigprocmask",
        "rt_sigqueueinfo", "rt_sigreturn", "rt_sigsuspend", "rt_sigtimedwait", "rt_sigtimedwait_time64",
        "rt_tgsigqueueinfo", "sched_getaffinity", "sched_getattr", "sched_getparam", "sched_get_priority_max",
        "sched_get_priority_min", "sched_getscheduler", "sched_rr_get_interval", "sched_rr_get_interval_time64",
        "sched_setaffinity", "sched_setattr", "sched_setparam", "sched_setscheduler", "sched_yield", "seccomp",
        "select", "semctl", "semget", "semop", "semtimedop", "semtimedop_time64", "send", "sendfile", "sendfile64",
        "sendmmsg", "sendmsg", "sendto", "setfsgid", "setfsgid32", "setfsuid", "setfsuid32", "setgid", "setgid32",
        "setgroups", "setgroups32", "setitimer", "setpgid", "setpriority", "setregid", "setregid32", "setresgid",
        "setresgid32", "setresuid", "setresuid32", "setreuid", "setreuid32", "setrlimit", "set_robust_list", "setsid",
        "setsockopt", "set_thread_area", "set_tid_address", "setuid", "setuid32", "setxattr", "shmat", "shmctl",
        "shmdt", "shmget", "shutdown", "sigaltstack", "signalfd", "signalfd4", "sigprocmask", "sigreturn", "socketcall",
        "socketpair", "splice", "stat", "stat64", "statfs", "statfs64", "statx", "symlink", "symlinkat", "sync",
        "sync_file_range", "syncfs", "sysinfo", "tee", "tgkill", "time", "timer_create", "timer_delete",
        "timer_getoverrun", "timer_gettime", "timer_gettime64", "timer_settime", "timer_settime64", "timerfd_create",
        "timerfd_gettime", "timerfd_gettime64", "timerfd_settime", "timerfd_settime64", "times", "tkill", "truncate",
        "truncate64", "ugetrlimit", "umask", "uname", "unlink", "unlinkat", "utime", "utimensat", "utimensat_time64",
        "utimes", "vfork", "vmsplice", "wait4", "waitid", "waitpid", "write", "writev",
    ]

    /// Calls a capability unlocks, as in Docker's profile: `open_by_handle_at` needs CAP_DAC_READ_SEARCH, `mount`
    /// and the namespace calls CAP_SYS_ADMIN, `reboot` CAP_SYS_BOOT, and so on.
    public static let defaultAllowedWithCapability: [(Capability, [String])] = [
        (Capability(rawValue: CAP_DAC_READ_SEARCH), ["open_by_handle_at"]),
        (Capability(rawValue: CAP_SYS_ADMIN), [
            "bpf", "clone", "clone3", "fanotify_init", "fsconfig", "fsmount", "fsopen", "fspick", "lookup_dcookie",
            "mount", "mount_setattr", "move_mount", "open_tree", "perf_event_open", "quotactl", "quotactl_fd",
            "setdomainname", "sethostname", "setns", "syslog", "umount", "umount2", "unshare",
        ]),
        (Capability(rawValue: CAP_SYS_BOOT), ["reboot"]),
        (Capability(rawValue: CAP_SYS_CHROOT), ["chroot"]),
        (Capability(rawValue: CAP_SYS_MODULE), ["delete_module", "init_module", "finit_module"]),
        (Capability(rawValue: CAP_SYS_PACCT), ["acct"]),
        (Capability(rawValue: CAP_SYS_PTRACE), [
            "kcmp", "pidfd_getfd", "process_madvise", "process_vm_readv", "process_vm_writev",
        ]),
        (Capability(rawValue: CAP_SYS_RAWIO), ["iopl", "ioperm"]),
        (Capability(rawValue: CAP_SYS_TIME), ["settimeofday", "stime", "clock_settime", "clock_settime64"]),
        (Capability(rawValue: CAP_SYS_TTY_CONFIG), ["vhangup"]),
        (Capability(rawValue: CAP_SYS_NICE), ["get_mempolicy", "mbind", "set_mempolicy", "set_mempolicy_home_node"]),
        (Capability(rawValue: CAP_SYSLOG), ["syslog"]),
        (Capability(rawValue: CAP_BPF), ["bpf"]),
        (Capability(rawValue: CAP_PERFMON), ["perf_event_open"]),
    ]

    /// The `clone` flags that make new namespaces; without CAP_SYS_ADMIN, `clone` is allowed only without them.
    public static let namespaceCloneFlags: UInt64 = UInt64(
        CLS_CLONE_NEWNS | CLS_CLONE_NEWUTS | CLS_CLONE_NEWIPC | CLS_CLONE_NEWUSER | CLS_CLONE_NEWPID
            | CLS_CLONE_NEWNET | CLS_CLONE_NEWCGROUP)

    /// The `personality` values Docker allows: PER_LINUX, PER_LINUX32, UNAME26, UNAME26|PER_LINUX32 and the query.
    public static let allowedPersonalities: [UInt64] = [0, 8, 0x20000, 0x20008, 0xffff_ffff]

    /// The address family Docker refuses to `socket` (AF_VSOCK).
    public static let refusedSocketFamily: UInt64 = 40

    /// The default profile for a container holding `capabilities`, equivalent to Docker's default: refuse with
    /// EPERM every call not allowed; allow `defaultAllowed`, `ptrace` (kernels from 4.8), the architecture's own
    /// calls (`arch_prctl`, `modify_ldt` on x86_64), `socket` except AF_VSOCK, `personality` with the values in
    /// `allowedPersonalities`, and the calls `capabilities` unlock (`process_vm_readv` and `process_vm_writev` need
    /// CAP_SYS_PTRACE, as in Docker 20.10; later versions allow them to all); without CAP_SYS_ADMIN, `clone` only
    /// without namespace flags and `clone3` refused with ENOSYS (its flags live in memory a filter cannot read, and
    /// ENOSYS makes the C library fall back to `clone`).
    public static func dockerDefault(capabilities: CapabilitySet) -> SeccompProfile {
        let allow = "SCMP_ACT_ALLOW"
        var unconditional = defaultAllowed + ["ptrace"] + architectureCalls
        for (capability, names) in defaultAllowedWithCapability where capabilities.contains(capability) {
            unconditional += names
        }
        var seen = Set<String>()
        unconditional = unconditional.filter { seen.insert($0).inserted }
        var rules = [SeccompSyscallRule(names: unconditional, action: allow)]
        rules.append(SeccompSyscallRule(
            names: ["socket"], action: allow,
            args: [SeccompArgument(index: 0, value: refusedSocketFamily, op: "SCMP_CMP_NE")], comment: "not AF_VSOCK"))
        rules += allowedPersonalities.map { value in
            SeccompSyscallRule(names: ["personality"], action: allow,
                               args: [SeccompArgument(index: 0, value: value, op: "SCMP_CMP_EQ")])
        }
        if !capabilities.contains(Capability(rawValue: CAP_SYS_ADMIN)) {
            rules.append(SeccompSyscallRule(
                names: ["clone"], action: allow,
                args: [SeccompArgument(index: 0, value: namespaceCloneFlags, valueTwo: 0, op: "SCMP_CMP_MASKED_EQ")],
                comment: "no new namespaces"))
            rules.append(SeccompSyscallRule(names: ["clone3"], action: "SCMP_ACT_ERRNO", errnoRet: UInt32(ENOSYS),
                                            comment: "flags live in memory a filter cannot read"))
        }
        return SeccompProfile(defaultAction: "SCMP_ACT_ERRNO", defaultErrnoRet: UInt32(EPERM), archMap: archMap,
                              syscalls: rules)
    }

    /// Docker's default `archMap`: 32-bit programs (x86, x32 on x86_64; arm on aarch64) are filtered by the same
    /// allow-list instead of being killed at their first call.
    public static let archMap: [ArchitectureMapping] = [
        ArchitectureMapping(architecture: "SCMP_ARCH_X86_64", subArchitectures: ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]),
        ArchitectureMapping(architecture: "SCMP_ARCH_AARCH64", subArchitectures: ["SCMP_ARCH_ARM"]),
    ]

    /// The calls Docker allows only on this architecture.
    private static var architectureCalls: [String] {
        #if arch(x86_64)
            ["arch_prctl", "modify_ldt"]
        #elseif arch(arm64)
            ["arm_fadvise64_64", "arm_sync_file_range", "sync_file_range2", "breakpoint", "cacheflush", "set_tls"]
        #else
            []
        #endif
    }
}
