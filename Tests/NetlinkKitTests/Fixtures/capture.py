#!/usr/bin/env python3
"""Captures the netlink fixtures in this folder from the real iproute2 tools.

Every case runs in its own throwaway network namespace (`ip netns add sptg-<pid>-<n>`), deleted afterwards, so
the host's interfaces are never touched. The tool runs under

    ip netns exec NS strace -xx -e trace=sendmsg,sendto -e write=all    CMD     (requests)
    ip netns exec NS strace -xx -e trace=recvmsg        -e read=all     CMD     (kernel replies)

and the hex dumps strace prints are turned into annotated fixture files: one field per line, hex bytes first,
then a `#` comment naming the field. `??` marks bytes the tests ignore (nlmsg_seq, nlmsg_pid, and namespace file
descriptors, whose numbers differ between ip and the test process). Lines starting with `@datagram` separate the
datagrams of a reply. See README.md for the list of cases and how the tests compare them.

Usage (as root): python3 capture.py [CASE-NAME-PREFIX ...]
"""

import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REQUESTS = os.path.join(HERE, "requests")
REPLIES = os.path.join(HERE, "replies")

# ---------------------------------------------------------------------------------------------- constants
NLMSG = {1: "NLMSG_NOOP", 2: "NLMSG_ERROR", 3: "NLMSG_DONE"}
RTM = {16: "RTM_NEWLINK", 17: "RTM_DELLINK", 18: "RTM_GETLINK", 19: "RTM_SETLINK",
       20: "RTM_NEWADDR", 21: "RTM_DELADDR", 22: "RTM_GETADDR",
       24: "RTM_NEWROUTE", 25: "RTM_DELROUTE", 26: "RTM_GETROUTE",
       28: "RTM_NEWNEIGH", 29: "RTM_DELNEIGH", 30: "RTM_GETNEIGH",
       88: "RTM_NEWNSID", 89: "RTM_DELNSID", 90: "RTM_GETNSID"}
NLM_F = [(0x1, "REQUEST"), (0x2, "MULTI"), (0x4, "ACK"), (0x8, "ECHO"), (0x10, "DUMP_INTR"),
         (0x20, "DUMP_FILTERED")]
NLM_F_NEW = [(0x100, "REPLACE"), (0x200, "EXCL"), (0x400, "CREATE"), (0x800, "APPEND")]
NLM_F_GET = [(0x100, "ROOT"), (0x200, "MATCH")]
NLM_F_ACKFL = [(0x100, "CAPPED"), (0x200, "ACK_TLVS")]
FAMILY = {0: "AF_UNSPEC", 2: "AF_INET", 7: "AF_BRIDGE", 10: "AF_INET6"}

IFLA = {1: "IFLA_ADDRESS", 2: "IFLA_BROADCAST", 3: "IFLA_IFNAME", 4: "IFLA_MTU", 5: "IFLA_LINK",
        6: "IFLA_QDISC", 7: "IFLA_STATS", 10: "IFLA_MASTER", 13: "IFLA_TXQLEN", 14: "IFLA_MAP",
        16: "IFLA_OPERSTATE", 17: "IFLA_LINKMODE", 18: "IFLA_LINKINFO", 19: "IFLA_NET_NS_PID",
        20: "IFLA_IFALIAS", 21: "IFLA_NUM_VF", 23: "IFLA_STATS64", 26: "IFLA_AF_SPEC", 27: "IFLA_GROUP",
        28: "IFLA_NET_NS_FD", 29: "IFLA_EXT_MASK", 30: "IFLA_PROMISCUITY", 31: "IFLA_NUM_TX_QUEUES",
        32: "IFLA_NUM_RX_QUEUES", 33: "IFLA_CARRIER", 35: "IFLA_CARRIER_CHANGES", 37: "IFLA_LINK_NETNSID",
        39: "IFLA_PROTO_DOWN", 40: "IFLA_GSO_MAX_SEGS", 41: "IFLA_GSO_MAX_SIZE", 43: "IFLA_XDP",
        44: "IFLA_EVENT", 47: "IFLA_CARRIER_UP_COUNT", 48: "IFLA_CARRIER_DOWN_COUNT",
        50: "IFLA_MIN_MTU", 51: "IFLA_MAX_MTU", 52: "IFLA_PROP_LIST", 53: "IFLA_ALT_IFNAME",
        54: "IFLA_PERM_ADDRESS", 56: "IFLA_PARENT_DEV_NAME", 57: "IFLA_PARENT_DEV_BUS_NAME",
        58: "IFLA_GRO_MAX_SIZE", 59: "IFLA_TSO_MAX_SIZE", 60: "IFLA_TSO_MAX_SEGS",
        61: "IFLA_ALLMULTI", 62: "IFLA_DEVLINK_PORT", 63: "IFLA_GSO_IPV4_MAX_SIZE",
        64: "IFLA_GRO_IPV4_MAX_SIZE", 65: "IFLA_DPLL_PIN", 66: "IFLA_MAX_PACING_OFFLOAD_HORIZON",
        67: "IFLA_NETNS_IMMUTABLE", 68: "IFLA_HEADROOM", 69: "IFLA_TAILROOM"}
IFLA_INFO = {1: "IFLA_INFO_KIND", 2: "IFLA_INFO_DATA", 3: "IFLA_INFO_XSTATS", 4: "IFLA_INFO_SLAVE_KIND",
             5: "IFLA_INFO_SLAVE_DATA"}
VETH = {1: "VETH_INFO_PEER"}
MACVLAN = {1: "IFLA_MACVLAN_MODE", 2: "IFLA_MACVLAN_FLAGS", 3: "IFLA_MACVLAN_MACADDR_MODE",
           4: "IFLA_MACVLAN_MACADDR", 5: "IFLA_MACVLAN_MACADDR_DATA", 6: "IFLA_MACVLAN_MACADDR_COUNT",
           7: "IFLA_MACVLAN_BC_QUEUE_LEN", 8: "IFLA_MACVLAN_BC_QUEUE_LEN_USED", 9: "IFLA_MACVLAN_BC_CUTOFF"}
VLAN = {1: "IFLA_VLAN_ID", 2: "IFLA_VLAN_FLAGS", 3: "IFLA_VLAN_EGRESS_QOS", 4: "IFLA_VLAN_INGRESS_QOS",
        5: "IFLA_VLAN_PROTOCOL"}
VXLAN = {1: "IFLA_VXLAN_ID", 2: "IFLA_VXLAN_GROUP", 3: "IFLA_VXLAN_LINK", 4: "IFLA_VXLAN_LOCAL",
         5: "IFLA_VXLAN_TTL", 6: "IFLA_VXLAN_TOS", 7: "IFLA_VXLAN_LEARNING", 8: "IFLA_VXLAN_AGEING",
         9: "IFLA_VXLAN_LIMIT", 10: "IFLA_VXLAN_PORT_RANGE", 11: "IFLA_VXLAN_PROXY", 12: "IFLA_VXLAN_RSC",
         13: "IFLA_VXLAN_L2MISS", 14: "IFLA_VXLAN_L3MISS", 15: "IFLA_VXLAN_PORT", 16: "IFLA_VXLAN_GROUP6",
         17: "IFLA_VXLAN_LOCAL6", 18: "IFLA_VXLAN_UDP_CSUM", 19: "IFLA_VXLAN_UDP_ZERO_CSUM6_TX",
         20: "IFLA_VXLAN_UDP_ZERO_CSUM6_RX", 21: "IFLA_VXLAN_REMCSUM_TX", 22: "IFLA_VXLAN_REMCSUM_RX",
         23: "IFLA_VXLAN_GBP", 24: "IFLA_VXLAN_REMCSUM_NOPARTIAL", 25: "IFLA_VXLAN_COLLECT_METADATA",
         26: "IFLA_VXLAN_LABEL", 27: "IFLA_VXLAN_GPE", 28: "IFLA_VXLAN_TTL_INHERIT", 29: "IFLA_VXLAN_DF",
         30: "IFLA_VXLAN_VNIFILTER", 31: "IFLA_VXLAN_LOCALBYPASS", 32: "IFLA_VXLAN_LABEL_POLICY"}
IFA = {1: "IFA_ADDRESS", 2: "IFA_LOCAL", 3: "IFA_LABEL", 4: "IFA_BROADCAST", 5: "IFA_ANYCAST",
       6: "IFA_CACHEINFO", 7: "IFA_MULTICAST", 8: "IFA_FLAGS", 9: "IFA_RT_PRIORITY", 10: "IFA_TARGET_NETNSID",
       11: "IFA_PROTO"}
RTA = {1: "RTA_DST", 2: "RTA_SRC", 3: "RTA_IIF", 4: "RTA_OIF", 5: "RTA_GATEWAY", 6: "RTA_PRIORITY",
       7: "RTA_PREFSRC", 8: "RTA_METRICS", 9: "RTA_MULTIPATH", 11: "RTA_FLOW", 12: "RTA_CACHEINFO",
       15: "RTA_TABLE", 16: "RTA_MARK", 17: "RTA_MFC_STATS", 18: "RTA_VIA", 19: "RTA_NEWDST", 20: "RTA_PREF",
       21: "RTA_ENCAP_TYPE", 22: "RTA_ENCAP", 23: "RTA_EXPIRES", 25: "RTA_UID", 26: "RTA_TTL_PROPAGATE",
       27: "RTA_IP_PROTO", 28: "RTA_SPORT", 29: "RTA_DPORT", 30: "RTA_NH_ID"}
NDA = {1: "NDA_DST", 2: "NDA_LLADDR", 3: "NDA_CACHEINFO", 4: "NDA_PROBES", 5: "NDA_VLAN", 6: "NDA_PORT",
       7: "NDA_VNI", 8: "NDA_IFINDEX", 9: "NDA_MASTER", 10: "NDA_LINK_NETNSID", 11: "NDA_SRC_VNI",
       12: "NDA_PROTOCOL", 13: "NDA_NH_ID", 14: "NDA_FDB_EXT_ATTRS", 15: "NDA_FLAGS_EXT",
       16: "NDA_NDM_STATE_MASK", 17: "NDA_NDM_FLAGS_MASK"}
NETNSA = {1: "NETNSA_NSID", 2: "NETNSA_PID", 3: "NETNSA_FD", 4: "NETNSA_TARGET_NSID", 5: "NETNSA_CURRENT_NSID"}
NLMSGERR = {1: "NLMSGERR_ATTR_MSG", 2: "NLMSGERR_ATTR_OFFS", 3: "NLMSGERR_ATTR_COOKIE",
            4: "NLMSGERR_ATTR_POLICY", 5: "NLMSGERR_ATTR_MISS_TYPE", 6: "NLMSGERR_ATTR_MISS_NEST"}
NUD = [(0x01, "INCOMPLETE"), (0x02, "REACHABLE"), (0x04, "STALE"), (0x08, "DELAY"), (0x10, "PROBE"),
       (0x20, "FAILED"), (0x40, "NOARP"), (0x80, "PERMANENT")]
NTF = [(0x01, "USE"), (0x02, "SELF"), (0x04, "MASTER"), (0x08, "PROXY"), (0x10, "EXT_LEARNED"),
       (0x20, "OFFLOADED"), (0x40, "STICKY"), (0x80, "ROUTER")]
IFF = [(0x1, "UP"), (0x2, "BROADCAST"), (0x8, "LOOPBACK"), (0x40, "RUNNING"), (0x80, "NOARP"),
       (0x100, "PROMISC"), (0x1000, "MULTICAST"), (0x10000, "LOWER_UP")]
STRING_ATTRS = {("link", 3), ("link", 6), ("link", 20), ("link", 53), ("info", 1), ("info", 4), ("addr", 3),
                ("err", 1)}
ADDRESS_ATTRS = {("addr", 1), ("addr", 2), ("addr", 4), ("addr", 5), ("addr", 7), ("route", 1), ("route", 2),
                 ("route", 5), ("route", 7), ("neigh", 1)}
NETNS_FD_ATTRS = {("link", 28), ("nsid", 3)}


def flags_text(value, table):
    names = [name for bit, name in table if value & bit]
    rest = value & ~sum(bit for bit, _ in table)
    if rest:
        names.append(hex(rest))
    return "|".join(names) if names else "0"


def hexs(data):
    return " ".join("%02x" % b for b in data)


def le(data):
    return int.from_bytes(bytes(data), "little")


class Writer:
    def __init__(self):
        self.lines = []

    def field(self, data, comment, mask=False, indent=0):
        text = " ".join("??" for _ in data) if mask else hexs(data)
        pad = "  " * indent
        if len(data) <= 16:
            self.lines.append("%-50s # %s%s" % (text, pad, comment))
            return
        for start in range(0, len(data), 16):
            chunk = data[start:start + 16]
            text = " ".join("??" for _ in chunk) if mask else hexs(chunk)
            label = comment if start == 0 else "(continued: bytes %d-%d)" % (start, start + len(chunk) - 1)
            self.lines.append("%-50s # %s%s" % (text, pad, label))

    def raw(self, line):
        self.lines.append(line)


def value_comment(space, kind, atype, value):
    """A readable rendering of an attribute value."""
    if (space, atype) in STRING_ATTRS or (space == "data" and False):
        return repr(bytes(value).rstrip(b"\0").decode("utf-8", "replace")) + (
            " + NUL" if value and value[-1] == 0 else " (no NUL)")
    if len(value) == 6 and space in ("link", "neigh", "peer"):
        return ":".join("%02x" % b for b in value)
    if len(value) == 4 and (space, atype) in ADDRESS_ATTRS or (space == "data" and kind == "vxlan"
                                                                and atype in (2, 4)):
        return ".".join(str(b) for b in value)
    if len(value) == 16 and ((space, atype) in ADDRESS_ATTRS or (space == "data" and kind == "vxlan")):
        return "IPv6 " + ":".join("%02x%02x" % (value[i], value[i + 1]) for i in range(0, 16, 2))
    if space == "data" and kind == "vxlan" and atype == 15:
        return "port %d (network order)" % int.from_bytes(bytes(value), "big")
    if len(value) in (1, 2, 4, 8):
        return "= %d" % le(value)
    return "%d bytes" % len(value)


def annotate_attrs(w, data, offset, end, space, names, kind=None, indent=0):
    while offset + 4 <= end:
        length = le(data[offset:offset + 2])
        raw_type = le(data[offset + 2:offset + 4])
        atype = raw_type & 0x3FFF
        nested_bit = " NLA_F_NESTED" if raw_type & 0x8000 else ""
        name = names.get(atype, "type %d" % atype)
        if length < 4 or offset + length > end:
            w.field(data[offset:end], "MALFORMED attribute %s len %d" % (name, length), indent=indent)
            return
        value = data[offset + 4:offset + length]
        padded = (length + 3) & ~3
        nested = None
        if space == "link" and atype == 18:
            nested = ("info", IFLA_INFO, None)
        elif space == "info" and atype == 2:
            nested = ("data", {"veth": VETH, "macvlan": MACVLAN, "vlan": VLAN, "vxlan": VXLAN}.get(kind, {}), kind)
        elif space == "data" and kind == "veth" and atype == 1:
            nested = ("peer", None, None)
        if nested:
            w.field(data[offset:offset + 4], "%s len %d%s (nested)" % (name, length, nested_bit), indent=indent)
            if nested[0] == "peer":
                annotate_ifinfomsg(w, data, offset + 4, indent + 1)
                annotate_attrs(w, data, offset + 4 + 16, offset + length, "link", IFLA, indent=indent + 1)
            else:
                if nested[0] == "info":
                    kind = None
                    cursor = offset + 4
                    while cursor + 4 <= offset + length:
                        l2, t2 = le(data[cursor:cursor + 2]), le(data[cursor + 2:cursor + 4]) & 0x3FFF
                        if t2 == 1 and l2 >= 4:
                            kind = bytes(data[cursor + 4:cursor + l2]).rstrip(b"\0").decode()
                        cursor += max(4, (l2 + 3) & ~3)
                annotate_attrs(w, data, offset + 4, offset + length, nested[0], nested[1], kind=kind,
                               indent=indent + 1)
        else:
            w.field(data[offset:offset + 4], "%s len %d%s" % (name, length, nested_bit), indent=indent)
            if value:
                mask = (space, atype) in NETNS_FD_ATTRS or (space == "peer" and atype == 28)
                comment = value_comment(space, kind, atype, value)
                if mask:
                    comment = "namespace fd (ip's was %d; masked, the test's differs)" % le(value)
                w.field(value, comment, mask=mask, indent=indent + 1)
        if padded > length and offset + padded <= end:
            w.field(data[offset + length:offset + padded], "padding", indent=indent + 1)
        offset += padded


def annotate_ifinfomsg(w, data, o, indent=0):
    w.field(data[o:o + 1], "ifi_family %s" % FAMILY.get(data[o], data[o]), indent=indent)
    w.field(data[o + 1:o + 2], "pad", indent=indent)
    w.field(data[o + 2:o + 4], "ifi_type %d" % le(data[o + 2:o + 4]), indent=indent)
    w.field(data[o + 4:o + 8], "ifi_index %d" % le(data[o + 4:o + 8]), indent=indent)
    w.field(data[o + 8:o + 12], "ifi_flags %s" % flags_text(le(data[o + 8:o + 12]), IFF), indent=indent)
    w.field(data[o + 12:o + 16], "ifi_change %s" % flags_text(le(data[o + 12:o + 16]), IFF), indent=indent)


def annotate_message(w, data, o, mask_header=True):
    length = le(data[o:o + 4])
    mtype = le(data[o + 4:o + 6])
    mflags = le(data[o + 6:o + 8])
    name = RTM.get(mtype) or NLMSG.get(mtype) or str(mtype)
    if mtype == 2:
        extra = NLM_F_ACKFL
    elif mtype in (16, 20, 24, 28, 88):
        extra = NLM_F_NEW
    elif mtype in (18, 22, 26, 30, 90):
        extra = NLM_F_GET
    else:
        extra = []
    w.field(data[o:o + 4], "nlmsg_len %d" % length)
    w.field(data[o + 4:o + 6], "nlmsg_type %s" % name)
    w.field(data[o + 6:o + 8], "nlmsg_flags %s" % flags_text(mflags, NLM_F + extra))
    w.field(data[o + 8:o + 12], "nlmsg_seq (was %d; ignored)" % le(data[o + 8:o + 12]) if mask_header
            else "nlmsg_seq %d" % le(data[o + 8:o + 12]), mask=mask_header)
    w.field(data[o + 12:o + 16], "nlmsg_pid (was %d; ignored)" % le(data[o + 12:o + 16]) if mask_header
            else "nlmsg_pid %d" % le(data[o + 12:o + 16]), mask=mask_header)
    p = o + 16
    end = o + length
    if mtype in (16, 17, 18, 19):
        annotate_ifinfomsg(w, data, p)
        annotate_attrs(w, data, p + 16, end, "link", IFLA)
    elif mtype in (20, 21, 22):
        w.field(data[p:p + 1], "ifa_family %s" % FAMILY.get(data[p], data[p]))
        w.field(data[p + 1:p + 2], "ifa_prefixlen %d" % data[p + 1])
        w.field(data[p + 2:p + 3], "ifa_flags %#x" % data[p + 2])
        w.field(data[p + 3:p + 4], "ifa_scope %d" % data[p + 3])
        w.field(data[p + 4:p + 8], "ifa_index %d" % le(data[p + 4:p + 8]))
        annotate_attrs(w, data, p + 8, end, "addr", IFA)
    elif mtype in (24, 25, 26):
        labels = ["rtm_family %s" % FAMILY.get(data[p], data[p]), "rtm_dst_len %d" % data[p + 1],
                  "rtm_src_len %d" % data[p + 2], "rtm_tos %d" % data[p + 3], "rtm_table %d" % data[p + 4],
                  "rtm_protocol %d" % data[p + 5], "rtm_scope %d" % data[p + 6], "rtm_type %d" % data[p + 7]]
        for i, label in enumerate(labels):
            w.field(data[p + i:p + i + 1], label)
        w.field(data[p + 8:p + 12], "rtm_flags %#x" % le(data[p + 8:p + 12]))
        annotate_attrs(w, data, p + 12, end, "route", RTA)
    elif mtype in (28, 29, 30):
        w.field(data[p:p + 1], "ndm_family %s" % FAMILY.get(data[p], data[p]))
        w.field(data[p + 1:p + 4], "pad")
        w.field(data[p + 4:p + 8], "ndm_ifindex %d" % le(data[p + 4:p + 8]))
        w.field(data[p + 8:p + 10], "ndm_state %s" % flags_text(le(data[p + 8:p + 10]), NUD))
        w.field(data[p + 10:p + 11], "ndm_flags %s" % flags_text(data[p + 10], NTF))
        w.field(data[p + 11:p + 12], "ndm_type %d" % data[p + 11])
        annotate_attrs(w, data, p + 12, end, "neigh", NDA)
    elif mtype in (88, 89, 90):
        w.field(data[p:p + 4], "rtgenmsg family %s + pad" % FAMILY.get(data[p], data[p]))
        annotate_attrs(w, data, p + 4, end, "nsid", NETNSA)
    elif mtype == 2:
        code = int.from_bytes(bytes(data[p:p + 4]), "little", signed=True)
        w.field(data[p:p + 4], "error %d" % code)
        inner_len = le(data[p + 4:p + 8])
        capped = bool(mflags & 0x100)
        w.raw("# the request this answers:")
        if capped or code == 0:
            w.field(data[p + 4:p + 20], "original nlmsghdr (len %d)" % inner_len)
            tlv = p + 20
        else:
            annotate_message(w, data, p + 4, mask_header=False)
            tlv = p + 4 + ((inner_len + 3) & ~3)
        if tlv < end:
            w.raw("# extended ACK TLVs:")
            annotate_attrs(w, data, tlv, end, "err", NLMSGERR)
    elif mtype == 3:
        w.field(data[p:p + 4], "NLMSG_DONE status %d" % le(data[p:p + 4]))
        if p + 4 < end:
            annotate_attrs(w, data, p + 4, end, "err", NLMSGERR)
    else:
        w.field(data[p:end], "payload")
    padded = (length + 3) & ~3
    if padded > length:
        w.field(data[end:o + padded], "message padding")
    return o + padded


# ---------------------------------------------------------------------------------------------- strace parsing
CALL = re.compile(r"^(sendmsg|sendto|recvmsg)\((\d+), (.*)\) = (-?\d+)")


def parse_trace(path):
    """Returns [(syscall, line, bytes)] for every netlink send/recv with its hex dump."""
    calls = []
    current = None
    with open(path) as trace:
        for line in trace:
            match = CALL.match(line)
            if match:
                current = [match.group(1), line.rstrip("\n"), bytearray()]
                calls.append(current)
                continue
            if line.startswith(" | ") and current is not None:
                current[2].extend(bytes.fromhex("".join(line[10:59].split())))
    return [(name, line, bytes(data)) for name, line, data in calls]


def split_messages(data):
    messages = []
    offset = 0
    while offset + 16 <= len(data):
        length = le(data[offset:offset + 4])
        if length < 16:
            break
        messages.append(data[offset:offset + length])
        offset += (length + 3) & ~3
    return messages


# ---------------------------------------------------------------------------------------------- running
SEQ = [0]


def sh(command, check=True):
    result = subprocess.run(command, shell=True, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise RuntimeError("%s: %s" % (command, result.stderr))
    return result


def in_namespace(setup, command, trace_args, peer=False):
    """Runs setup commands and `command` under strace inside a fresh namespace; returns (trace calls, result)."""
    SEQ[0] += 1
    name = "sptg-%d-%d" % (os.getpid(), SEQ[0])
    peer_name = name + "p"
    sh("ip netns add %s" % name)
    try:
        if peer:
            sh("ip netns add %s" % peer_name)
        for step in setup:
            sh("ip netns exec %s %s" % (name, step.replace("PEER", peer_name)))
        with tempfile.NamedTemporaryFile(suffix=".strace", delete=False) as handle:
            trace_path = handle.name
        result = sh("ip netns exec %s strace -xx %s -o %s %s" % (name, trace_args, trace_path,
                                                               command.replace("PEER", peer_name)), check=False)
        calls = parse_trace(trace_path)
        os.unlink(trace_path)
        return calls, result
    finally:
        sh("ip netns del %s" % name, check=False)
        if peer:
            sh("ip netns del %s" % peer_name, check=False)


def header(command, setup, notes, status):
    lines = ["# command: %s" % command.replace("PEER", "<peer-ns>")]
    for step in setup:
        lines.append("# setup (not captured): %s" % step.replace("PEER", "<peer-ns>"))
    lines.append("# in a fresh namespace (lo is index 1, so the first interface made is 2) with iproute2 %s" %
                 sh("ip -V").stdout.split(",")[1].split("iproute2-")[-1].strip())
    lines.append("# exit status %d%s" % (status.returncode, (": " + status.stderr.strip()) if status.stderr.strip()
                                         else ""))
    for note in notes:
        lines.append("# note: %s" % note)
    return lines


def capture_request(case):
    name, setup, command, mtype = case["name"], case.get("setup", []), case["command"], case["type"]
    calls, result = in_namespace(setup, command, "-e trace=sendmsg,sendto -e write=all",
                                 peer="PEER" in command or any("PEER" in s for s in setup))
    messages = [m for _, _, data in calls for m in split_messages(data) if le(m[4:6]) == mtype]
    if not messages:
        raise RuntimeError("%s: no %s sent; stderr %s" % (name, RTM.get(mtype), result.stderr))
    # ip sends probes (`RTM_NEWLINK` with seq 0 to test for support) and name lookups first; the last message
    # of the expected type is the request itself.
    message = messages[-1]
    w = Writer()
    for line in header(command, setup, case.get("notes", []), result):
        w.raw(line)
    w.raw("# captured: strace -xx -e trace=sendmsg,sendto -e write=all; the last %s sent" % RTM[mtype])
    annotate_message(w, message, 0)
    path = os.path.join(REQUESTS, name + ".txt")
    with open(path, "w") as out:
        out.write("\n".join(w.lines) + "\n")
    print("wrote", os.path.relpath(path, HERE), "exit", result.returncode, result.stderr.strip())


def capture_reply(case):
    name, setup, command = case["name"], case.get("setup", []), case["command"]
    calls, result = in_namespace(setup, command, "-e trace=recvmsg -e read=all",
                                 peer="PEER" in command or any("PEER" in s for s in setup))
    datagrams = [data for call, line, data in calls if "MSG_PEEK" not in line and data]
    w = Writer()
    for line in header(command, setup, case.get("notes", []), result):
        w.raw(line)
    w.raw("# captured: strace -xx -e trace=recvmsg -e read=all; every datagram ip received (peeks skipped)")
    for index, datagram in enumerate(datagrams):
        w.raw("@datagram %d (%d bytes)" % (index, len(datagram)))
        offset = 0
        while offset + 16 <= len(datagram):
            offset = annotate_message(w, datagram, offset, mask_header=False)
    path = os.path.join(REPLIES, name + ".txt")
    with open(path, "w") as out:
        out.write("\n".join(w.lines) + "\n")
    print("wrote", os.path.relpath(path, HERE), "exit", result.returncode, result.stderr.strip())


# ---------------------------------------------------------------------------------------------- cases
NEWLINK, DELLINK, GETLINK = 16, 17, 18
NEWADDR, DELADDR, GETADDR = 20, 21, 22
NEWROUTE, DELROUTE, GETROUTE = 24, 25, 26
NEWNEIGH, DELNEIGH, GETNEIGH = 28, 29, 30

BR = ["ip link add name br0 type bridge"]  # br0 is index 2
BR_UP = BR + ["ip link set dev br0 up"]
BR_ADDR = BR_UP + ["ip addr add 192.168.1.5/24 dev br0", "ip addr add 2001:db8::5/64 dev br0 nodad"]
VETH_BR = BR + ["ip link add name veth0 type veth peer name veth1"]  # veth0 3, veth1 4
VX = ["ip link add name vx0 type vxlan id 42 local 10.0.0.1 dstport 4789"]  # vx0 is index 2

REQUEST_CASES = [
    # links
    dict(name="link-add-bridge", command="ip link add name br0 type bridge", type=NEWLINK),
    dict(name="link-add-bridge-options", type=NEWLINK,
         command="ip link add name br0 mtu 1400 address 02:00:00:00:00:01 up type bridge"),
    dict(name="link-add-bridge-netns", command="ip link add name br0 netns PEER type bridge", type=NEWLINK),
    dict(name="link-add-veth", command="ip link add name veth0 type veth peer name veth1", type=NEWLINK),
    dict(name="link-add-veth-netns", command="ip link add name veth0 type veth peer name eth1 netns PEER",
         type=NEWLINK),
    dict(name="link-add-veth-peer-options", type=NEWLINK,
         command="ip link add name veth0 type veth peer name eth1 mtu 1400 address 02:00:00:00:00:03 netns PEER"),
    dict(name="link-add-veth-master", setup=BR, type=NEWLINK,
         command="ip link add name veth0 master br0 up type veth peer name veth1"),
    dict(name="link-add-macvlan-bridge", setup=BR, type=NEWLINK,
         command="ip link add link br0 name mv0 type macvlan mode bridge"),
    dict(name="link-add-macvlan-private", setup=BR, type=NEWLINK,
         command="ip link add link br0 name mv0 type macvlan mode private"),
    dict(name="link-add-macvlan-vepa", setup=BR, type=NEWLINK,
         command="ip link add link br0 name mv0 type macvlan mode vepa"),
    dict(name="link-add-macvlan-passthru", setup=BR, type=NEWLINK,
         command="ip link add link br0 name mv0 type macvlan mode passthru"),
    dict(name="link-add-macvlan-options", setup=BR, type=NEWLINK,
         command="ip link add link br0 name mv0 mtu 1400 address 02:00:00:00:00:05 up type macvlan mode bridge"),
    dict(name="link-add-vxlan", setup=BR, type=NEWLINK,
         command="ip link add name vx0 type vxlan id 42 remote 10.0.0.2 local 10.0.0.1 dev br0 ttl 64 "
                 "learning dstport 4789"),
    dict(name="link-add-vxlan-group", setup=BR, type=NEWLINK,
         command="ip link add name vx1 type vxlan id 7 group 239.1.1.1 dev br0 nolearning dstport 8472"),
    dict(name="link-add-vxlan-proxy", setup=BR, type=NEWLINK,
         command="ip link add name vx2 type vxlan id 4097 local 10.0.0.1 dev br0 nolearning proxy dstport 4789"),
    dict(name="link-add-vxlan-v6", type=NEWLINK,
         command="ip link add name vx6 type vxlan id 100 remote 2001:db8::2 local 2001:db8::1 dstport 4789"),
    dict(name="link-add-vlan", setup=BR, type=NEWLINK, command="ip link add link br0 name br0.10 type vlan id 10",
         notes=["this kernel has no 802.1Q (CONFIG_VLAN_8021Q): the request fails with EOPNOTSUPP after it is "
                "sent"]),
    dict(name="link-set-up", setup=BR, command="ip link set dev br0 up", type=NEWLINK),
    dict(name="link-set-down", setup=BR_UP, command="ip link set dev br0 down", type=NEWLINK),
    dict(name="link-set-name", setup=BR, command="ip link set dev br0 name br9", type=NEWLINK),
    dict(name="link-set-address", setup=BR, command="ip link set dev br0 address 02:00:00:00:00:09", type=NEWLINK),
    dict(name="link-set-mtu", setup=BR, command="ip link set dev br0 mtu 1400", type=NEWLINK),
    dict(name="link-set-master", setup=VETH_BR, command="ip link set dev veth0 master br0", type=NEWLINK),
    dict(name="link-set-nomaster", setup=VETH_BR + ["ip link set dev veth0 master br0"],
         command="ip link set dev veth0 nomaster", type=NEWLINK),
    dict(name="link-set-netns", setup=VETH_BR, command="ip link set dev veth1 netns PEER", type=NEWLINK),
    dict(name="link-set-alias", setup=BR, command="ip link set dev br0 alias splice:test", type=NEWLINK),
    dict(name="link-set-combined", setup=VETH_BR, type=NEWLINK,
         command="ip link set dev veth0 up name vsp1 mtu 1400 address 02:00:00:00:00:03 master br0 alias splice:x"),
    dict(name="link-del", setup=BR, command="ip link del dev br0", type=DELLINK),
    dict(name="link-get-name", setup=BR, command="ip link show dev br0", type=GETLINK,
         notes=["ip adds IFLA_EXT_MASK (RTEXT_FILTER_VF), which the tests ignore"]),
    dict(name="link-dump", setup=BR, command="ip link show", type=GETLINK,
         notes=["ip adds IFLA_EXT_MASK (RTEXT_FILTER_VF), which the tests ignore"]),
    # addresses
    dict(name="addr-add-v4-broadcast", setup=BR, command="ip addr add 192.168.1.5/24 broadcast + dev br0",
         type=NEWADDR),
    dict(name="addr-add-v4", setup=BR, command="ip addr add 192.168.1.5/24 dev br0", type=NEWADDR),
    dict(name="addr-add-v6", setup=BR, command="ip addr add 2001:db8::5/64 dev br0", type=NEWADDR),
    dict(name="addr-del-v4", setup=BR + ["ip addr add 192.168.1.5/24 broadcast + dev br0"],
         command="ip addr del 192.168.1.5/24 dev br0", type=DELADDR),
    dict(name="addr-del-v6", setup=BR + ["ip addr add 2001:db8::5/64 dev br0"],
         command="ip addr del 2001:db8::5/64 dev br0", type=DELADDR),
    dict(name="addr-dump", setup=BR, command="ip -4 addr show", type=GETADDR),
    # routes
    dict(name="route-add-default-via", setup=BR_ADDR, command="ip route add default via 192.168.1.1",
         type=NEWROUTE),
    dict(name="route-add-dev", setup=BR_ADDR, command="ip route add 10.1.0.0/16 dev br0", type=NEWROUTE),
    dict(name="route-add-via-dev", setup=BR_ADDR, command="ip route add 10.1.0.0/16 via 192.168.1.1 dev br0",
         type=NEWROUTE),
    dict(name="route-add-onlink", setup=BR_ADDR, command="ip route add default via 10.9.9.1 dev br0 onlink",
         type=NEWROUTE),
    dict(name="route-add-table-100", setup=BR_ADDR,
         command="ip route add 10.2.0.0/16 via 192.168.1.1 table 100", type=NEWROUTE),
    dict(name="route-add-table-1000", setup=BR_ADDR,
         command="ip route add 10.2.0.0/16 via 192.168.1.1 table 1000", type=NEWROUTE),
    dict(name="route-add-metric", setup=BR_ADDR, command="ip route add 10.3.0.0/16 via 192.168.1.1 metric 50",
         type=NEWROUTE),
    dict(name="route-add-all", setup=BR_ADDR,
         command="ip route add 10.5.0.0/16 via 192.168.1.1 metric 50 table 1000 dev br0", type=NEWROUTE),
    dict(name="route-add-scope-link", setup=BR_ADDR, command="ip route add 10.4.0.0/16 dev br0 scope link",
         type=NEWROUTE),
    dict(name="route-add-scope-host", setup=BR_ADDR, command="ip route add 10.4.0.0/16 dev br0 scope host",
         type=NEWROUTE),
    dict(name="route-replace", setup=BR_ADDR + ["ip route add 10.1.0.0/16 dev br0"],
         command="ip route replace 10.1.0.0/16 via 192.168.1.1", type=NEWROUTE),
    dict(name="route-del", setup=BR_ADDR + ["ip route add 10.1.0.0/16 via 192.168.1.1"],
         command="ip route del 10.1.0.0/16 via 192.168.1.1", type=DELROUTE),
    dict(name="route-del-default", setup=BR_ADDR + ["ip route add default via 192.168.1.1"],
         command="ip route del default", type=DELROUTE),
    dict(name="route-del-table-1000", setup=BR_ADDR + ["ip route add 10.2.0.0/16 via 192.168.1.1 table 1000"],
         command="ip route del 10.2.0.0/16 table 1000", type=DELROUTE),
    dict(name="route6-add-default-via", setup=BR_ADDR, command="ip route add default via 2001:db8::1",
         notes=["without -6: with it, ip also sends an all-zero RTA_DST for \"default\", which NetlinkKit does not"],
         type=NEWROUTE),
    dict(name="route6-add-dev", setup=BR_ADDR, command="ip -6 route add 2001:db8:1::/64 dev br0", type=NEWROUTE),
    dict(name="route6-del", setup=BR_ADDR + ["ip -6 route add 2001:db8:1::/64 via 2001:db8::1"],
         command="ip -6 route del 2001:db8:1::/64 via 2001:db8::1", type=DELROUTE),
    dict(name="route-dump", setup=BR_ADDR, command="ip route show table all", type=GETROUTE),
    # neighbours
    dict(name="neigh-add", setup=BR_ADDR, command="ip neigh add 192.168.1.9 lladdr 02:00:00:00:00:09 dev br0",
         type=NEWNEIGH),
    dict(name="neigh-add-v6", setup=BR_ADDR,
         command="ip -6 neigh add 2001:db8::9 lladdr 02:00:00:00:00:09 dev br0", type=NEWNEIGH),
    dict(name="neigh-replace", setup=BR_ADDR,
         command="ip neigh replace 192.168.1.9 lladdr 02:00:00:00:00:0a dev br0 nud reachable", type=NEWNEIGH),
    dict(name="neigh-del", setup=BR_ADDR + ["ip neigh add 192.168.1.9 lladdr 02:00:00:00:00:09 dev br0"],
         command="ip neigh del 192.168.1.9 dev br0", type=DELNEIGH),
    dict(name="neigh-dump", setup=BR_ADDR, command="ip -4 neigh show", type=GETNEIGH),
    # bridge FDB
    dict(name="fdb-add-master-static", setup=VETH_BR + ["ip link set dev veth0 master br0"],
         command="bridge fdb add 02:00:00:00:00:0a dev veth0 master static", type=NEWNEIGH),
    dict(name="fdb-add-master-permanent", setup=VETH_BR + ["ip link set dev veth0 master br0"],
         command="bridge fdb add 02:00:00:00:00:0a dev veth0 master permanent", type=NEWNEIGH),
    dict(name="fdb-add-self-dst", setup=VX,
         command="bridge fdb add 02:00:00:00:00:0b dev vx0 dst 10.0.0.2 self permanent", type=NEWNEIGH),
    dict(name="fdb-append-self-dst", setup=VX,
         command="bridge fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.0.3 self permanent", type=NEWNEIGH),
    dict(name="fdb-del-master", setup=VETH_BR + ["ip link set dev veth0 master br0",
                                                 "bridge fdb add 02:00:00:00:00:0a dev veth0 master static"],
         command="bridge fdb del 02:00:00:00:00:0a dev veth0 master", type=DELNEIGH),
    dict(name="fdb-del-self-dst", setup=VX + ["bridge fdb add 02:00:00:00:00:0b dev vx0 dst 10.0.0.2 self permanent"],
         command="bridge fdb del 02:00:00:00:00:0b dev vx0 dst 10.0.0.2 self", type=DELNEIGH),
    dict(name="fdb-dump", setup=BR, command="bridge fdb show", type=GETNEIGH),
]

LINKS = [
    "ip link add name br0 address 02:00:00:00:00:01 type bridge",              # 2
    "ip link add name veth0 address 02:00:00:00:00:02 mtu 1400 type veth peer name veth1 address "
    "02:00:00:00:00:03",                                                       # 3, 4
    "ip link set dev veth0 master br0",
    "ip link set dev veth0 alias splice:test",
    "ip link add link veth1 name mv0 address 02:00:00:00:00:05 type macvlan mode private",   # 5
    "ip link add name vx0 address 02:00:00:00:00:06 type vxlan id 42 local 10.0.0.1 remote 10.0.0.2 dev br0 "
    "ttl 64 nolearning dstport 4789",                                          # 6
    "ip link set dev br0 up", "ip link set dev veth0 up", "ip link set dev veth1 up",
]
REPLY_CASES = [
    dict(name="link-dump", setup=LINKS, command="ip -d link show"),
    dict(name="link-peer-netns", setup=["ip link add name veth0 address 02:00:00:00:00:02 type veth peer name eth1 "
                                        "netns PEER"], command="ip -d link show dev veth0",
         notes=["the peer lives in another namespace, so the reply carries IFLA_LINK_NETNSID"]),
    dict(name="addr-dump", setup=LINKS + ["ip addr add 192.168.1.5/24 broadcast + dev br0",
                                          "ip addr add 2001:db8::5/64 dev br0 nodad",
                                          "ip addr add 10.0.0.1/8 dev veth0 label veth0:x"],
         command="ip addr show"),
    dict(name="route-dump", setup=LINKS + ["ip addr add 192.168.1.5/24 dev br0", "ip link set dev br0 up",
                                           "ip route add default via 192.168.1.1 metric 10",
                                           "ip route add 10.2.0.0/16 via 192.168.1.1 table 1000",
                                           "ip route add 10.4.0.0/16 dev br0 scope link table 100"],
         command="ip route show table all"),
    dict(name="route6-dump", setup=LINKS + ["ip addr add 2001:db8::5/64 dev br0 nodad",
                                            "ip -6 route add default via 2001:db8::1 dev br0 metric 10"],
         command="ip -6 route show table all"),
    dict(name="neigh-dump", setup=LINKS + ["ip addr add 192.168.1.5/24 dev br0",
                                           "ip neigh add 192.168.1.9 lladdr 02:00:00:00:00:09 dev br0",
                                           "ip neigh add 192.168.1.10 lladdr 02:00:00:00:00:0a dev br0 nud reachable",
                                           "ip -6 neigh add 2001:db8::9 lladdr 02:00:00:00:00:09 dev br0"],
         command="ip neigh show"),
    dict(name="fdb-dump", setup=LINKS + ["bridge fdb add 02:00:00:00:00:0a dev veth0 master static",
                                         "bridge fdb add 02:00:00:00:00:0b dev vx0 dst 10.0.0.2 self permanent",
                                         "bridge fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.0.3 self permanent"],
         command="bridge fdb show"),
    dict(name="error-extack", setup=BR, command="ip link set dev br0 mtu 70000",
         notes=["ip does not set NETLINK_CAP_ACK, so the error echoes the whole request before the TLVs"]),
    dict(name="error-exists", setup=BR, command="ip link add name br0 type bridge"),
]


def main():
    if os.geteuid() != 0:
        sys.exit("capture.py needs root (ip netns add)")
    os.makedirs(REQUESTS, exist_ok=True)
    os.makedirs(REPLIES, exist_ok=True)
    prefixes = sys.argv[1:]
    for case in REQUEST_CASES:
        if not prefixes or any(("requests/" + case["name"]).startswith(p) for p in prefixes):
            capture_request(case)
    for case in REPLY_CASES:
        if not prefixes or any(("replies/" + case["name"]).startswith(p) for p in prefixes):
            capture_reply(case)


if __name__ == "__main__":
    main()
