#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "CLinuxShims.h"

int cls_setns(int fd, int nstype) { return setns(fd, nstype); }
int cls_unshare(int flags) { return unshare(flags); }
pid_t cls_gettid(void) { return (pid_t)syscall(SYS_gettid); }
int cls_errno(void) { return errno; }
void cls_set_errno(int value) { errno = value; }
