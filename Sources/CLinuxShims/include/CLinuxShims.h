// Kernel UAPI headers and _GNU_SOURCE wrappers that Swift's Glibc module does not expose.
#ifndef CLINUXSHIMS_H
#define CLINUXSHIMS_H

#include <stdint.h>
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
/// Returns `errno` of the calling thread.
int cls_errno(void);
/// Sets `errno` of the calling thread.
void cls_set_errno(int value);

#endif
