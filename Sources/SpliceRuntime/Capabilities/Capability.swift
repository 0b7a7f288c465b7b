import CLinuxShims

/// One Linux capability, such as `CAP_NET_ADMIN`.
public struct Capability: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The kernel's capability number.
    public let rawValue: Int32

    /// Creates a capability from its number.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// Every capability this runtime knows, by number, with its name without the `CAP_` prefix.
    public static let known: [(Capability, String)] = [
        (CAP_CHOWN, "CHOWN"), (CAP_DAC_OVERRIDE, "DAC_OVERRIDE"), (CAP_DAC_READ_SEARCH, "DAC_READ_SEARCH"),
        (CAP_FOWNER, "FOWNER"), (CAP_FSETID, "FSETID"), (CAP_KILL, "KILL"), (CAP_SETGID, "SETGID"),
        (CAP_SETUID, "SETUID"), (CAP_SETPCAP, "SETPCAP"), (CAP_LINUX_IMMUTABLE, "LINUX_IMMUTABLE"),
        (CAP_NET_BIND_SERVICE, "NET_BIND_SERVICE"), (CAP_NET_BROADCAST, "NET_BROADCAST"),
        (CAP_NET_ADMIN, "NET_ADMIN"), (CAP_NET_RAW, "NET_RAW"), (CAP_IPC_LOCK, "IPC_LOCK"),
        (CAP_IPC_OWNER, "IPC_OWNER"), (CAP_SYS_MODULE, "SYS_MODULE"), (CAP_SYS_RAWIO, "SYS_RAWIO"),
        (CAP_SYS_CHROOT, "SYS_CHROOT"), (CAP_SYS_PTRACE, "SYS_PTRACE"), (CAP_SYS_PACCT, "SYS_PACCT"),
        (CAP_SYS_ADMIN, "SYS_ADMIN"), (CAP_SYS_BOOT, "SYS_BOOT"), (CAP_SYS_NICE, "SYS_NICE"),
        (CAP_SYS_RESOURCE, "SYS_RESOURCE"), (CAP_SYS_TIME, "SYS_TIME"), (CAP_SYS_TTY_CONFIG, "SYS_TTY_CONFIG"),
        (CAP_MKNOD, "MKNOD"), (CAP_LEASE, "LEASE"), (CAP_AUDIT_WRITE, "AUDIT_WRITE"),
        (CAP_AUDIT_CONTROL, "AUDIT_CONTROL"), (CAP_SETFCAP, "SETFCAP"), (CAP_MAC_OVERRIDE, "MAC_OVERRIDE"),
        (CAP_MAC_ADMIN, "MAC_ADMIN"), (CAP_SYSLOG, "SYSLOG"), (CAP_WAKE_ALARM, "WAKE_ALARM"),
        (CAP_BLOCK_SUSPEND, "BLOCK_SUSPEND"), (CAP_AUDIT_READ, "AUDIT_READ"), (CAP_PERFMON, "PERFMON"),
        (CAP_BPF, "BPF"), (CAP_CHECKPOINT_RESTORE, "CHECKPOINT_RESTORE"),
    ].map { (Capability(rawValue: $0.0), $0.1) }

    /// Parses `CAP_NET_ADMIN`, `NET_ADMIN` or `net_admin`; nil for unknown names and for `ALL`.
    public init?(name: String) {
        var upper = name.uppercased()
        if upper.hasPrefix("CAP_") { upper.removeFirst(4) }
        guard let match = Self.known.first(where: { $0.1 == upper }) else { return nil }
        self = match.0
    }

    /// The name with the `CAP_` prefix.
    public var name: String {
        Self.known.first { $0.0 == self }.map { "CAP_" + $0.1 } ?? "CAP_\(rawValue)"
    }

    public var description: String { name }

    public static func < (lhs: Capability, rhs: Capability) -> Bool { lhs.rawValue < rhs.rawValue }
}
