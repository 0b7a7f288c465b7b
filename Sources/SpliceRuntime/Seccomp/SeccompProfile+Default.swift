import CLinuxShims
import Glibc

extension SeccompProfile {
    /// The syscalls the reduced default profile refuses with EPERM. Docker's profile is an allow-list of ~350
    /// calls; this is the deny-list of what it leaves out that matters: kernel modules and kexec, reboot, swap,
    /// clocks, keyrings, bpf, perf, userfaultfd, mounting (also the new mount API), namespaces (`unshare`,
    /// `setns`), cross-process memory access, handle-based opens (the "shocker" escape), accounting, quotas, NUMA
    /// policy and obsolete calls. `ptrace` stays allowed, as Docker allows it on kernels from 4.8.
    public static let reducedDefaultDenied: [String] = [
        "acct", "add_key", "bpf", "clock_adjtime", "clock_settime", "create_module", "delete_module",
        "finit_module", "fsconfig", "fsmount", "fsopen", "fspick", "get_kernel_syms", "get_mempolicy",
        "init_module", "ioperm", "iopl", "kcmp", "kexec_file_load", "kexec_load", "keyctl", "lookup_dcookie",
        "mbind", "mount", "mount_setattr", "move_mount", "move_pages", "name_to_handle_at", "nfsservctl",
        "open_by_handle_at", "open_tree", "perf_event_open", "pivot_root", "process_vm_readv",
        "process_vm_writev", "query_module", "quotactl", "quotactl_fd", "reboot", "request_key",
        "set_mempolicy", "setns", "settimeofday", "stime", "swapoff", "swapon", "_sysctl", "sysfs", "umount",
        "umount2", "unshare", "uselib", "userfaultfd", "ustat", "vm86", "vm86old",
    ]

    /// The namespace flags `clone` may not carry (Docker refuses them without CAP_SYS_ADMIN).
    public static let reducedDefaultCloneFlags: [Int32] = [
        CLS_CLONE_NEWNS, CLS_CLONE_NEWUTS, CLS_CLONE_NEWIPC, CLS_CLONE_NEWUSER, CLS_CLONE_NEWPID, CLS_CLONE_NEWNET,
        CLS_CLONE_NEWCGROUP,
    ].map { Int32($0) }

    /// The default profile: allow everything except `reducedDefaultDenied` (EPERM), `clone` with any namespace
    /// flag (EPERM; one masked-equality rule per flag) and `clone3` (ENOSYS, so the C library falls back to
    /// `clone`, whose flags a filter can see), as Docker does.
    public static let reducedDefault = SeccompProfile(
        defaultAction: "SCMP_ACT_ALLOW",
        syscalls: [
            SeccompSyscallRule(names: reducedDefaultDenied, action: "SCMP_ACT_ERRNO", errnoRet: UInt32(EPERM),
                               comment: "privileged or kernel-wide operations")
        ]
            + reducedDefaultCloneFlags.map { flag in
                SeccompSyscallRule(
                    names: ["clone"], action: "SCMP_ACT_ERRNO", errnoRet: UInt32(EPERM),
                    args: [SeccompArgument(index: 0, value: UInt64(flag), valueTwo: UInt64(flag), op: "SCMP_CMP_MASKED_EQ")],
                    comment: "new namespaces")
            }
            + [
                SeccompSyscallRule(names: ["clone3"], action: "SCMP_ACT_ERRNO", errnoRet: UInt32(ENOSYS),
                                   comment: "flags live in memory a filter cannot read")
            ])
}
