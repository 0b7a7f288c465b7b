// Kernel UAPI headers and _GNU_SOURCE wrappers that Swift's Glibc module does not expose.
#ifndef CLINUXSHIMS_H
#define CLINUXSHIMS_H

#include <stdint.h>
#include <sys/epoll.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/mount.h>
#include <sys/file.h>
#include <netinet/in.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/if_link.h>
#include <linux/if_addr.h>
#include <linux/neighbour.h>
#include <linux/veth.h>
#include <linux/if_ether.h>
#include <linux/if_arp.h>
#include <linux/if_packet.h>
#include <linux/sockios.h>
#include <linux/ip.h>
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>

// Constants from <linux/if.h> (which conflicts with glibc's <net/if.h>).
enum {
    CLS_IFF_UP = 0x1,
    CLS_IFF_BROADCAST = 0x2,
    CLS_IFF_LOOPBACK = 0x8,
    CLS_IFF_RUNNING = 0x40,
    CLS_IFF_MULTICAST = 0x1000,
    CLS_IFF_LOWER_UP = 0x10000,
    CLS_IFNAMSIZ = 16,
};

// Namespace constants from <sched.h> under _GNU_SOURCE.
enum {
    CLS_CLONE_NEWNET = 0x40000000,
    CLS_CLONE_NEWNS = 0x00020000,
    CLS_CLONE_NEWUTS = 0x04000000,
    CLS_CLONE_NEWIPC = 0x08000000,
    CLS_CLONE_NEWPID = 0x20000000,
    CLS_CLONE_NEWUSER = 0x10000000,
    CLS_CLONE_NEWCGROUP = 0x02000000,
    CLS_CLONE_NEWTIME = 0x00000080,
};

// The bridge FDB flag NTF_SELF and friends live in <linux/neighbour.h>; these are not macros in older headers.
enum {
    CLS_NLMSG_HDRLEN = 16,
};

/// Wraps `setns(2)`; returns -1 and sets errno on failure.
int cls_setns(int fd, int nstype);
/// Wraps `unshare(2)`.
int cls_unshare(int flags);
/// Returns the calling thread's kernel thread id (`gettid(2)`).
pid_t cls_gettid(void);
/// Wraps `pidfd_open(2)`: a descriptor that becomes readable when process `pid` exits; -1 and errno on failure.
int cls_pidfd_open(pid_t pid);
/// Returns `errno` of the calling thread.
int cls_errno(void);
/// Sets `errno` of the calling thread.
void cls_set_errno(int value);

/// Wraps `fork(2)` (Swift marks it unavailable); only single-threaded helpers such as splice-init may call it.
pid_t cls_fork(void);
/// Forks with `clone(2)` and `flags` (`CLONE_NEWUSER | CLONE_NEWPID`: namespaces the child is created in, a new
/// user namespace first so that the others belong to it); only single-threaded helpers such as splice-init.
pid_t cls_fork_into_namespaces(unsigned long flags);
/// `setresgid(0, 0, 0)` then `setresuid(0, 0, 0)` (raw system calls, safe between fork and exec): root of the
/// caller's user namespace. Returns 0 or -1 with errno.
int cls_become_root(void);
/// A descriptor of a new user namespace with these `uid_map` and `gid_map` texts: a helper child unshares it and
/// waits while the caller writes its maps and opens it, then exits (reaped here). -1 with errno on failure.
int cls_user_namespace_fd(const char *uid_map, const char *gid_map);
/// A detached copy of the mount at `path` (`open_tree(OPEN_TREE_CLONE)`) made idmapped with the user namespace
/// `userns_fd` (`mount_setattr(MOUNT_ATTR_IDMAP)`, Linux 5.12+, per file system); close-on-exec. -1 with errno.
int cls_idmapped_tree(const char *path, int userns_fd);
/// Joins the mount namespace `mntns_fd`, takes a detached copy of the mount at `path` there
/// (`open_tree(OPEN_TREE_CLONE)`) as descriptor `target_fd` (close-on-exec), and returns to the mount namespace
/// `home_fd`: another container's `/dev/shm` for `--ipc container:NAME`. Single-threaded callers only. -1 with
/// errno.
int cls_clone_tree_from(int mntns_fd, int home_fd, const char *path, int target_fd);
/// A detached overlay mount (`fsopen`, `fsconfig`, `fsmount`; close-on-exec) of `lowerdir` (colon-separated),
/// `upperdir` and `workdir`; idmapped lower layers need Linux 5.19+. -1 with errno.
int cls_overlay_mount_fd(const char *lowerdir, const char *upperdir, const char *workdir);
/// A detached read-only overlay mount of `lowerdir` alone (colon-separated, top first; no upper layer, so layers
/// that another mount writes to can be read); close-on-exec. -1 with errno.
int cls_overlay_readonly_mount_fd(const char *lowerdir);
/// Wraps `openat2(2)` (Linux 5.6+): `resolve` holds `RESOLVE_*` flags such as `CLS_RESOLVE_IN_ROOT`; -1 with errno
/// (ENOSYS where the kernel has no openat2).
int cls_openat2(int dirfd, const char *path, int flags, unsigned int mode, unsigned long long resolve);
/// `O_PATH` (Glibc hides it without _GNU_SOURCE): a descriptor that only names a file.
#define CLS_O_PATH 010000000
/// `AT_EMPTY_PATH`: operate on the descriptor itself (`linkat` of an `O_PATH` descriptor).
#define CLS_AT_EMPTY_PATH 0x1000
/// `RESOLVE_IN_ROOT`: resolve `path` as if `dirfd` were the root (symlinks and `..` stay inside it).
#define CLS_RESOLVE_IN_ROOT 0x10ULL
/// `RESOLVE_NO_MAGICLINKS`: refuse `/proc/PID/fd`-style links on the way.
#define CLS_RESOLVE_NO_MAGICLINKS 0x02ULL
/// Attaches the detached mount `fd` at `target` (`move_mount(MOVE_MOUNT_F_EMPTY_PATH)`); safe between fork and exec.
int cls_move_mount(int fd, const char *target);
/// Wraps `pivot_root(2)`.
int cls_pivot_root(const char *new_root, const char *put_old);
/// Sets the effective, permitted and inheritable capability sets of the calling thread. Wraps `capset(2)`.
int cls_capset(uint64_t effective, uint64_t permitted, uint64_t inheritable);
/// memfd_create(2) with MFD_CLOEXEC: an anonymous in-memory file (no filesystem, so no ENOSPC).
int cls_memfd_create(const char *name);
/// Reads the effective capability set of the calling thread. Wraps `capget(2)`.
int cls_capget_effective(uint64_t *effective);
/// Drops `capability` from the bounding set. Wraps `prctl(PR_CAPBSET_DROP)`.
int cls_capbset_drop(int capability);
/// Sets the no_new_privs bit. Wraps `prctl(PR_SET_NO_NEW_PRIVS)`.
int cls_set_no_new_privs(void);
/// Sets or clears PR_SET_KEEPCAPS, which keeps permitted capabilities across setuid. Wraps `prctl(2)`.
int cls_set_keepcaps(int keep);
/// Asks for `signal` when the parent dies. Wraps `prctl(PR_SET_PDEATHSIG)`.
int cls_set_parent_death_signal(int signal);
/// Makes a device number from its major and minor parts (`makedev(3)`).
uint64_t cls_makedev(unsigned int major, unsigned int minor);
/// Writes all `count` bytes to `fd` with plain write(2) calls; safe between fork and exec.
int cls_write_all(int fd, const void *bytes, size_t count);
/// Installs a classic BPF seccomp filter of `count` instructions for the calling thread. Wraps `seccomp(2)`.
int cls_seccomp_install(const void *instructions, unsigned short count);
/// Creates a pipe with both ends close-on-exec. Wraps `pipe2(O_CLOEXEC)`.
int cls_pipe_cloexec(int fds[2]);
/// Sets a pipe's capacity in bytes. Wraps `fcntl(F_SETPIPE_SZ)`.
int cls_set_pipe_size(int fd, int size);
/// Sets every signal's disposition to default and unblocks all signals, including the C library's reserved
/// real-time signals (raw `rt_sigaction`/`rt_sigprocmask`); safe between fork and exec.
void cls_reset_signals(void);
/// Closes every descriptor from `first` upwards. Wraps `close_range(2)`.
int cls_close_from(unsigned int first);
/// The exit status of a `waitpid` status word: >= 0 exit code, or -signal when killed by a signal.
int cls_wait_status_code(int status);

/// Opens a new pseudo-terminal in the `/dev/ptmx` the caller sees (close-on-exec, no controlling terminal), unlocks
/// it, applies `rows` x `columns` when both are non-zero, opens its slave (`TIOCGPTPEER`, no controlling terminal)
/// and stores both descriptors; returns 0 or -1 with errno. Only plain system calls: safe between fork and exec.
int cls_open_terminal(unsigned short rows, unsigned short columns, int *master, int *slave);
/// Makes `fd` (a terminal) the caller's controlling terminal. Wraps `ioctl(TIOCSCTTY)`.
int cls_set_controlling_terminal(int fd);
/// Sets a terminal's window size (the foreground process group gets SIGWINCH). Wraps `ioctl(TIOCSWINSZ)`.
int cls_set_window_size(int fd, unsigned short rows, unsigned short columns);
/// The terminal's end-of-file character (`VEOF`, normally ^D), or 4 when it cannot be read. Wraps `tcgetattr(3)`.
int cls_terminal_eof_char(int fd);
/// Sends `fd` and one byte `tag` over the unix socket `socket_fd` (SCM_RIGHTS); safe between fork and exec.
int cls_send_descriptor(int socket_fd, int fd, unsigned char tag);
/// Receives one byte into `tag` and, when one came along, a descriptor into `fd` (else -1), close-on-exec; returns
/// the bytes received (0 at end of stream) or -1 with errno. Wraps `recvmsg(2)`.
ssize_t cls_receive_descriptor(int socket_fd, int *fd, unsigned char *tag);
/// Sends `length` bytes of `data` and `count` descriptors (SCM_RIGHTS) as one message over `socket_fd` (a
/// SOCK_SEQPACKET socket); returns 0 or -1 with errno.
int cls_send_with_descriptors(int socket_fd, const void *data, size_t length, const int *fds, int count);
/// Receives one message of at most `capacity` bytes into `buffer` and up to `max_fds` descriptors (close-on-exec)
/// into `fds`, storing how many came in `count`; returns the bytes received (0 at end of stream) or -1 with errno.
ssize_t cls_receive_with_descriptors(int socket_fd, void *buffer, size_t capacity, int *fds, int max_fds,
                                     int *count);
/// Makes the caller's `/proc/self/cmdline` (what `ps` and `pgrep -f` show) the `length` bytes at `arguments`, each
/// argument ending with a NUL; the bytes are copied to memory that stays allocated. Needs CAP_SYS_RESOURCE (wraps
/// `prctl(PR_SET_MM_MAP)`); returns 0 or -1 with errno.
int cls_set_command_line(const char *arguments, size_t length);
/// Makes SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 and SIGWINCH sent to the caller go to `pid` instead
/// (an async-signal-safe `kill` in the handler).
int cls_forward_signals(pid_t pid);
/// Sets or clears O_NONBLOCK. Wraps `fcntl(2)`.
int cls_set_nonblocking(int fd, int nonblocking);

#endif
