// A probe for seccomp filters: attempts each syscall Docker's default profile refuses (with harmless arguments:
// invalid or null, so that a call which does reach the kernel changes nothing) and a few it allows, and prints one
// line per call: its name and "ok" or the errno's name. Built static (`cc -static -O1 -o seccomp-probe
// seccomp-probe.c`) so that it runs in a busybox image. Used by the privileged daemon tests
// (SeccompDefaultTests) and benchmarks/seccomp-compare.sh.
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timex.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void report(const char *name, long result) {
    if (result >= 0) {
        printf("%s ok\n", name);
    } else {
        const char *errno_name = strerrorname_np(errno);
        printf("%s %s\n", name, errno_name ? errno_name : "E?");
    }
    fflush(stdout);
}

// A raw call with up to six arguments; a child of a clone that succeeded leaves at once.
#define PROBE(name, ...) report(name, syscall(__VA_ARGS__))

static void probe_clone(const char *name, unsigned long flags) {
    errno = 0;
    long pid = syscall(SYS_clone, flags | SIGCHLD, 0L, 0L, 0L, 0L);
    if (pid == 0) _exit(0);
    if (pid > 0) waitpid((pid_t)pid, NULL, 0);
    report(name, pid);
}

int main(void) {
    // Refused by Docker's default profile (for a container with Docker's default capabilities).
    PROBE("acct", SYS_acct, 1L);  // not NULL, which would switch accounting off
    PROBE("add_key", SYS_add_key, 0L, 0L, 0L, 0L, 0L);
    PROBE("bpf", SYS_bpf, -1L, 0L, 0L);
    PROBE("clock_settime", SYS_clock_settime, -1L, 0L);
    PROBE("create_module", SYS_create_module, 0L, 0L);
    PROBE("delete_module", SYS_delete_module, 0L, 0L);
    PROBE("fanotify_init", SYS_fanotify_init, 0xffffffffL, 0L);
    PROBE("finit_module", SYS_finit_module, -1L, 0L, 0L);
    PROBE("fsconfig", SYS_fsconfig, -1L, 0L, 0L, 0L, 0L);
    PROBE("fsmount", SYS_fsmount, -1L, 0L, 0L);
    PROBE("fsopen", SYS_fsopen, 0L, 0L);
    PROBE("fspick", SYS_fspick, -1L, 0L, 0L);
    PROBE("get_kernel_syms", SYS_get_kernel_syms, 0L);
    PROBE("get_mempolicy", SYS_get_mempolicy, 0L, 0L, 0L, 0L, 0L);
    PROBE("init_module", SYS_init_module, 0L, 0L, 0L);
    PROBE("io_uring_setup", SYS_io_uring_setup, 0L, 0L);
    PROBE("ioperm", SYS_ioperm, 0L, 0L, 0L);
    PROBE("iopl", SYS_iopl, 0L);
    PROBE("kcmp", SYS_kcmp, (long)getpid(), (long)getpid(), -1L, 0L, 0L);
    PROBE("kexec_file_load", SYS_kexec_file_load, -1L, -1L, 0L, 0L, 0L);
    PROBE("kexec_load", SYS_kexec_load, 0L, 0L, 0L, 0xffffffffL);  // no segments would unload
    PROBE("keyctl", SYS_keyctl, -1L, 0L, 0L, 0L, 0L);
    PROBE("lookup_dcookie", SYS_lookup_dcookie, 0L, 0L, 0L);
    PROBE("mbind", SYS_mbind, 0L, 0L, -1L, 0L, 0L, 0L);
    PROBE("mount", SYS_mount, 0L, 0L, 0L, 0L, 0L);
    PROBE("mount_setattr", SYS_mount_setattr, -1L, 0L, 0L, 0L, 0L);
    PROBE("move_mount", SYS_move_mount, -1L, 0L, -1L, 0L, 0L);
    PROBE("move_pages", SYS_move_pages, (long)getpid(), 0L, 0L, 0L, 0L, 0L);
    PROBE("nfsservctl", SYS_nfsservctl, 0L, 0L, 0L);
    PROBE("open_by_handle_at", SYS_open_by_handle_at, -1L, 0L, 0L);
    PROBE("open_tree", SYS_open_tree, -1L, 0L, 0L);
    PROBE("perf_event_open", SYS_perf_event_open, 0L, 0L, -1L, -1L, 0L);
    PROBE("personality", SYS_personality, 0x0040000L);  // ADDR_NO_RANDOMIZE
    PROBE("pidfd_getfd", SYS_pidfd_getfd, -1L, -1L, 0L);
    PROBE("pivot_root", SYS_pivot_root, 0L, 0L);
    PROBE("process_madvise", SYS_process_madvise, -1L, 0L, 0L, 0L, 0L);
    PROBE("query_module", SYS_query_module, 0L, 0L, 0L, 0L, 0L);
    PROBE("quotactl", SYS_quotactl, 0L, 0L, 0L, 0L);
    PROBE("quotactl_fd", SYS_quotactl_fd, -1L, 0L, 0L, 0L);
    PROBE("reboot", SYS_reboot, 0L, 0L, 0L, 0L);
    PROBE("request_key", SYS_request_key, 0L, 0L, 0L, 0L);
    PROBE("set_mempolicy", SYS_set_mempolicy, -1L, 0L, 0L);
    PROBE("setdomainname", SYS_setdomainname, 0L, -1L);
    PROBE("sethostname", SYS_sethostname, 0L, -1L);
    PROBE("setns", SYS_setns, -1L, 0L);
    PROBE("settimeofday", SYS_settimeofday, 0L, 0L);
    PROBE("socket(AF_VSOCK)", SYS_socket, 40L, (long)SOCK_STREAM, 0L);
    PROBE("swapoff", SYS_swapoff, 0L);
    PROBE("swapon", SYS_swapon, 0L, 0L);
    PROBE("_sysctl", SYS__sysctl, 0L);
    PROBE("sysfs", SYS_sysfs, -1L, 0L, 0L);
    PROBE("syslog", SYS_syslog, 10L, 0L, 0L);  // SYSLOG_ACTION_SIZE_BUFFER
    PROBE("umount2", SYS_umount2, 0L, 0L);
    PROBE("unshare", SYS_unshare, 0L);
    PROBE("uselib", SYS_uselib, 0L);
    PROBE("userfaultfd", SYS_userfaultfd, -1L);
    PROBE("ustat", SYS_ustat, 0L, 0L);
    PROBE("vhangup", SYS_vhangup);
    probe_clone("clone(CLONE_NEWNS)", CLONE_NEWNS);
    PROBE("clone3", SYS_clone3, 0L, 0L);

    // Allowed by Docker's default profile (process_vm_readv: by versions after 20.10, which
    // asks for CAP_SYS_PTRACE).
    PROBE("getpid", SYS_getpid);
    PROBE("personality(query)", SYS_personality, 0xffffffffL);
    PROBE("socket(AF_INET)", SYS_socket, (long)AF_INET, (long)SOCK_DGRAM, 0L);
    probe_clone("clone(fork)", 0);
    struct timex query = {0};
    PROBE("clock_adjtime(query)", SYS_clock_adjtime, (long)CLOCK_REALTIME, (long)&query);
    PROBE("process_vm_readv(empty)", SYS_process_vm_readv, (long)getpid(), 0L, 0L, 0L, 0L, 0L);
    PROBE("chroot(/)", SYS_chroot, (long)"/");
    return 0;
}
