#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/prctl.h>
#include <linux/prctl.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <linux/mount.h>
#include "CLinuxShims.h"

int cls_setns(int fd, int nstype) { return setns(fd, nstype); }
int cls_unshare(int flags) { return unshare(flags); }
pid_t cls_gettid(void) { return (pid_t)syscall(SYS_gettid); }
int cls_errno(void) { return errno; }
void cls_set_errno(int value) { errno = value; }

pid_t cls_fork(void) { return fork(); }
static int cls_write_text(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    int result = cls_write_all(fd, text, strlen(text));
    int saved = errno;
    close(fd);
    errno = saved;
    return result;
}

int cls_user_namespace_fd(const char *uid_map, const char *gid_map) {
    int gate[2];
    if (pipe2(gate, O_CLOEXEC) != 0) return -1;
    int ready[2];
    if (pipe2(ready, O_CLOEXEC) != 0) { close(gate[0]); close(gate[1]); return -1; }
    pid_t helper = fork();
    if (helper < 0) {
        int saved = errno;
        close(gate[0]);
        close(gate[1]);
        close(ready[0]);
        close(ready[1]);
        errno = saved;
        return -1;
    }
    if (helper == 0) {
        close(gate[1]);
        close(ready[0]);
        char status = unshare(CLONE_NEWUSER) == 0 ? 0 : 1;
        (void)!write(ready[1], &status, 1);
        char byte;
        (void)!read(gate[0], &byte, 1);
        _exit(0);
    }
    close(gate[0]);
    close(ready[1]);
    char status = 1;
    int fd = -1, saved = EPERM;
    if (read(ready[0], &status, 1) == 1 && status == 0) {
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/uid_map", (int)helper);
        if (cls_write_text(path, uid_map) == 0) {
            snprintf(path, sizeof path, "/proc/%d/gid_map", (int)helper);
            if (cls_write_text(path, gid_map) == 0) {
                snprintf(path, sizeof path, "/proc/%d/ns/user", (int)helper);
                fd = open(path, O_RDONLY | O_CLOEXEC);
            }
        }
        if (fd < 0) saved = errno;
    }
    close(ready[0]);
    close(gate[1]);
    while (waitpid(helper, NULL, 0) < 0 && errno == EINTR) {}
    if (fd < 0) errno = saved;
    return fd;
}

int cls_idmapped_tree(const char *path, int userns_fd) {
    int tree = (int)syscall(SYS_open_tree, AT_FDCWD, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
    if (tree < 0) return -1;
    struct mount_attr attr = { .attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (uint64_t)userns_fd };
    if (syscall(SYS_mount_setattr, tree, "", AT_EMPTY_PATH, &attr, sizeof attr) != 0) {
        int saved = errno;
        close(tree);
        errno = saved;
        return -1;
    }
    return tree;
}

int cls_clone_tree_from(int mntns_fd, int home_fd, const char *path, int target_fd) {
    if (setns(mntns_fd, CLONE_NEWNS) != 0) return -1;
    int tree = (int)syscall(SYS_open_tree, AT_FDCWD, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
    int saved = errno;
    if (setns(home_fd, CLONE_NEWNS) != 0) {
        if (tree >= 0) close(tree);
        return -1;
    }
    if (tree < 0) {
        errno = saved;
        return -1;
    }
    if (tree != target_fd) {
        if (dup3(tree, target_fd, O_CLOEXEC) < 0) {
            saved = errno;
            close(tree);
            errno = saved;
            return -1;
        }
        close(tree);
    }
    return 0;
}

int cls_overlay_mount_fd(const char *lowerdir, const char *upperdir, const char *workdir) {
    int context = (int)syscall(SYS_fsopen, "overlay", FSOPEN_CLOEXEC);
    if (context < 0) return -1;
    int mount_fd = -1;
    if (syscall(SYS_fsconfig, context, FSCONFIG_SET_STRING, "lowerdir", lowerdir, 0) == 0
        && syscall(SYS_fsconfig, context, FSCONFIG_SET_STRING, "upperdir", upperdir, 0) == 0
        && syscall(SYS_fsconfig, context, FSCONFIG_SET_STRING, "workdir", workdir, 0) == 0
        && syscall(SYS_fsconfig, context, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0) {
        mount_fd = (int)syscall(SYS_fsmount, context, FSMOUNT_CLOEXEC, 0);
    }
    int saved = errno;
    close(context);
    errno = saved;
    return mount_fd;
}

int cls_overlay_readonly_mount_fd(const char *lowerdir) {
    int context = (int)syscall(SYS_fsopen, "overlay", FSOPEN_CLOEXEC);
    if (context < 0) return -1;
    int mount_fd = -1;
    if (syscall(SYS_fsconfig, context, FSCONFIG_SET_STRING, "lowerdir", lowerdir, 0) == 0
        && syscall(SYS_fsconfig, context, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0) {
        mount_fd = (int)syscall(SYS_fsmount, context, FSMOUNT_CLOEXEC, MOUNT_ATTR_RDONLY);
    }
    int saved = errno;
    close(context);
    errno = saved;
    return mount_fd;
}

int cls_openat2(int dirfd, const char *path, int flags, unsigned int mode, unsigned long long resolve) {
#ifdef SYS_openat2
    struct { uint64_t flags, mode, resolve; } how = { (uint64_t)flags, (uint64_t)mode, resolve };
    return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof how);
#else
    errno = ENOSYS;
    return -1;
#endif
}

int cls_move_mount(int fd, const char *target) {
    return (int)syscall(SYS_move_mount, fd, "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH);
}

int cls_become_root(void) {
    if (syscall(SYS_setresgid, 0, 0, 0) != 0) return -1;
    return (int)syscall(SYS_setresuid, 0, 0, 0);
}
pid_t cls_fork_into_namespaces(unsigned long flags) {
    return (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
}
int cls_pivot_root(const char *new_root, const char *put_old) { return (int)syscall(SYS_pivot_root, new_root, put_old); }

int cls_capset(uint64_t effective, uint64_t permitted, uint64_t inheritable) {
    struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
    struct __user_cap_data_struct data[2] = {
        { .effective = (uint32_t)effective, .permitted = (uint32_t)permitted, .inheritable = (uint32_t)inheritable },
        { .effective = (uint32_t)(effective >> 32), .permitted = (uint32_t)(permitted >> 32),
          .inheritable = (uint32_t)(inheritable >> 32) },
    };
    return (int)syscall(SYS_capset, &header, data);
}

int cls_memfd_create(const char *name) { return (int)syscall(SYS_memfd_create, name, 1U /* MFD_CLOEXEC */); }

int cls_capget_effective(uint64_t *effective) {
    struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
    struct __user_cap_data_struct data[2];
    int result = (int)syscall(SYS_capget, &header, data);
    if (result == 0) *effective = (uint64_t)data[0].effective | ((uint64_t)data[1].effective << 32);
    return result;
}

int cls_capbset_drop(int capability) { return prctl(PR_CAPBSET_DROP, (unsigned long)capability, 0UL, 0UL, 0UL); }
int cls_set_no_new_privs(void) { return prctl(PR_SET_NO_NEW_PRIVS, 1UL, 0UL, 0UL, 0UL); }
int cls_set_keepcaps(int keep) { return prctl(PR_SET_KEEPCAPS, (unsigned long)keep, 0UL, 0UL, 0UL); }
int cls_set_parent_death_signal(int signal) { return prctl(PR_SET_PDEATHSIG, (unsigned long)signal, 0UL, 0UL, 0UL); }
uint64_t cls_makedev(unsigned int major, unsigned int minor) { return (uint64_t)makedev(major, minor); }

int cls_write_all(int fd, const void *bytes, size_t count) {
    const char *cursor = bytes;
    while (count > 0) {
        ssize_t written = write(fd, cursor, count);
        if (written < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        cursor += written;
        count -= (size_t)written;
    }
    return 0;
}

int cls_wait_status_code(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return -WTERMSIG(status);
    return -1;
}

int cls_seccomp_install(const void *instructions, unsigned short count) {
    struct sock_fprog program = { .len = count, .filter = (struct sock_filter *)instructions };
    return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &program);
}

int cls_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

int cls_set_pipe_size(int fd, int size) { return fcntl(fd, F_SETPIPE_SZ, size); }

int cls_close_from(unsigned int first) { return (int)syscall(SYS_close_range, first, ~0U, 0); }

// The kernel's struct sigaction for rt_sigaction on x86_64 and arm64 (handler, flags, restorer, mask).
struct cls_kernel_sigaction {
    void *handler;
    unsigned long flags;
    void *restorer;
    unsigned long mask;
};

void cls_reset_signals(void) {
    struct cls_kernel_sigaction action;
    memset(&action, 0, sizeof action);
    action.handler = (void *)SIG_DFL;
    for (int signal = 1; signal <= 64; signal++) {
        if (signal == SIGKILL || signal == SIGSTOP) continue;
        syscall(SYS_rt_sigaction, signal, &action, NULL, sizeof action.mask);
    }
    unsigned long empty = 0;
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &empty, NULL, sizeof empty);
}

int cls_open_terminal(unsigned short rows, unsigned short columns, int *master, int *slave) {
    int m = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (m < 0) return -1;
    int unlock = 0;
    if (ioctl(m, TIOCSPTLCK, &unlock) != 0) { int e = errno; close(m); errno = e; return -1; }
    if (rows != 0 && columns != 0) {
        struct winsize size = { .ws_row = rows, .ws_col = columns };
        if (ioctl(m, TIOCSWINSZ, &size) != 0) { int e = errno; close(m); errno = e; return -1; }
    }
    int s = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (s < 0) { int e = errno; close(m); errno = e; return -1; }
    *master = m;
    *slave = s;
    return 0;
}

int cls_set_controlling_terminal(int fd) { return ioctl(fd, TIOCSCTTY, 0); }

int cls_set_window_size(int fd, unsigned short rows, unsigned short columns) {
    struct winsize size = { .ws_row = rows, .ws_col = columns };
    return ioctl(fd, TIOCSWINSZ, &size);
}

int cls_terminal_eof_char(int fd) {
    struct termios attributes;
    if (tcgetattr(fd, &attributes) != 0) return 4;
    return attributes.c_cc[VEOF];
}

int cls_send_with_descriptors(int socket_fd, const void *data, size_t length, const int *fds, int count) {
    if (count < 0 || count > 8) { errno = EINVAL; return -1; }
    char control[CMSG_SPACE(8 * sizeof(int))];
    memset(control, 0, sizeof(control));
    struct iovec vector = { .iov_base = (void *)data, .iov_len = length };
    struct msghdr message = { .msg_iov = &vector, .msg_iovlen = 1 };
    if (count > 0) {
        message.msg_control = control;
        message.msg_controllen = CMSG_SPACE((size_t)count * sizeof(int));
        struct cmsghdr *header = CMSG_FIRSTHDR(&message);
        header->cmsg_level = SOL_SOCKET;
        header->cmsg_type = SCM_RIGHTS;
        header->cmsg_len = CMSG_LEN((size_t)count * sizeof(int));
        memcpy(CMSG_DATA(header), fds, (size_t)count * sizeof(int));
    }
    ssize_t sent;
    do { sent = sendmsg(socket_fd, &message, MSG_NOSIGNAL); } while (sent < 0 && errno == EINTR);
    if (sent < 0) return -1;
    if ((size_t)sent != length) { errno = EMSGSIZE; return -1; }
    return 0;
}

ssize_t cls_receive_with_descriptors(int socket_fd, void *buffer, size_t capacity, int *fds, int max_fds,
                                     int *count) {
    char control[CMSG_SPACE(8 * sizeof(int))];
    struct iovec vector = { .iov_base = buffer, .iov_len = capacity };
    struct msghdr message = { .msg_iov = &vector, .msg_iovlen = 1, .msg_control = control,
                              .msg_controllen = sizeof(control) };
    *count = 0;
    ssize_t received;
    do { received = recvmsg(socket_fd, &message, MSG_CMSG_CLOEXEC); } while (received < 0 && errno == EINTR);
    if (received < 0) return -1;
    for (struct cmsghdr *header = CMSG_FIRSTHDR(&message); header; header = CMSG_NXTHDR(&message, header)) {
        if (header->cmsg_level != SOL_SOCKET || header->cmsg_type != SCM_RIGHTS) continue;
        int carried = (int)((header->cmsg_len - CMSG_LEN(0)) / sizeof(int));
        for (int index = 0; index < carried; index++) {
            int fd;
            memcpy(&fd, CMSG_DATA(header) + (size_t)index * sizeof(int), sizeof(int));
            if (*count < max_fds) fds[(*count)++] = fd; else close(fd);
        }
    }
    return received;
}

int cls_set_command_line(const char *arguments, size_t length) {
    if (length == 0 || arguments[length - 1] != 0) { errno = EINVAL; return -1; }
    // PR_SET_MM_MAP replaces the whole map at once (the single-field PR_SET_MM_ARG_START and ARG_END are refused
    // on recent kernels): the other fields are the current ones, from /proc/self/stat.
    int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    char text[2048];
    ssize_t count = read(fd, text, sizeof(text) - 1);
    close(fd);
    if (count <= 0) { errno = EIO; return -1; }
    text[count] = 0;
    char *cursor = strrchr(text, ')');
    if (cursor == NULL) { errno = EIO; return -1; }
    unsigned long fields[53] = { 0 };
    cursor += 2;  // field 3, the state letter, follows ") "
    while (*cursor && *cursor != ' ') cursor++;
    for (int field = 4; field < 53 && *cursor; field++) {
        fields[field] = strtoul(cursor, &cursor, 10);  // negative fields (priority, nice) are not used
        while (*cursor == ' ') cursor++;
    }
    char *copy = malloc(length);
    if (copy == NULL) return -1;
    memcpy(copy, arguments, length);
    struct prctl_mm_map map;
    memset(&map, 0, sizeof(map));
    map.start_code = fields[26];
    map.end_code = fields[27];
    map.start_stack = fields[28];
    map.start_data = fields[45];
    map.end_data = fields[46];
    map.start_brk = fields[47];
    map.brk = (unsigned long)sbrk(0);
    map.arg_start = (unsigned long)copy;
    map.arg_end = (unsigned long)copy + length;
    map.env_start = fields[50];
    map.env_end = fields[51];
    map.exe_fd = (unsigned int)-1;
    if (prctl(PR_SET_MM, PR_SET_MM_MAP, (unsigned long)&map, sizeof(map), 0) != 0) {
        int saved = errno;
        free(copy);
        errno = saved;
        return -1;
    }
    return 0;
}

int cls_send_descriptor(int socket_fd, int fd, unsigned char tag) {
    return cls_send_with_descriptors(socket_fd, &tag, 1, &fd, 1);
}

ssize_t cls_receive_descriptor(int socket_fd, int *fd, unsigned char *tag) {
    int count = 0;
    ssize_t received = cls_receive_with_descriptors(socket_fd, tag, 1, fd, 1, &count);
    if (count == 0) *fd = -1;
    return received;
}

static volatile pid_t forward_target = 0;

static void forward_signal(int signal) {
    int saved = errno;
    if (forward_target > 0) kill(forward_target, signal);
    errno = saved;
}

int cls_forward_signals(pid_t pid) {
    forward_target = pid;
    int signals[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH };
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = forward_signal;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    for (unsigned i = 0; i < sizeof(signals) / sizeof(signals[0]); i++) {
        if (sigaction(signals[i], &action, NULL) != 0) return -1;
    }
    return 0;
}

int cls_set_nonblocking(int fd, int nonblocking) {
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0) return -1;
    return fcntl(fd, F_SETFL, nonblocking ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK));
}

int cls_pidfd_open(pid_t pid) {
#ifdef SYS_pidfd_open
    return (int)syscall(SYS_pidfd_open, pid, 0);
#else
    errno = ENOSYS;
    return -1;
#endif
}
