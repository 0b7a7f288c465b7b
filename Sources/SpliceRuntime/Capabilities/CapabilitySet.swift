/// A set of capabilities as the kernel's 64-bit mask.
public struct CapabilitySet: Equatable, Sendable, CustomStringConvertible {
    /// Bit `n` set means capability `n` is in the set.
    public var mask: UInt64

    /// Creates a set from a mask.
    public init(mask: UInt64) { self.mask = mask }

    /// Creates a set from capabilities.
    public init(_ capabilities: some Sequence<Capability>) {
        mask = capabilities.reduce(0) { $0 | (1 << UInt64($1.rawValue)) }
    }

    /// The empty set.
    public static let empty = CapabilitySet(mask: 0)

    /// Every capability this runtime knows (what `--privileged` gets).
    public static let all = CapabilitySet(Capability.known.map(\.0))

    /// Every capability number from 0 through `last` (the kernel's `cap_last_cap`), known by name here or not.
    public static func upTo(_ last: Int32) -> CapabilitySet {
        guard last >= 0 else { return .empty }
        return CapabilitySet(mask: last >= 63 ? UInt64.max : (UInt64(1) << UInt64(last + 1)) - 1)
    }

    /// Docker's default set for a container.
    public static let dockerDefault = CapabilitySet(
        ["CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW", "SETGID", "SETUID", "SETFCAP", "SETPCAP",
         "NET_BIND_SERVICE", "SYS_CHROOT", "KILL", "AUDIT_WRITE"].compactMap { Capability(name: $0) })

    /// Whether `capability` is in the set.
    public func contains(_ capability: Capability) -> Bool { mask & (1 << UInt64(capability.rawValue)) != 0 }

    /// The members, lowest number first.
    public var members: [Capability] { Capability.known.map(\.0).filter(contains) }

    /// Resolves Docker's `--cap-add`, `--cap-drop` and `--privileged`: privileged or an added `ALL` starts from
    /// `every` capability (pass the kernel's, `upTo(cap_last_cap)`), a dropped `ALL` from none, otherwise from
    /// Docker's default; then drops, then adds (an added capability wins over the same capability dropped).
    /// Unknown names are an error.
    public static func resolve(add: [String], drop: [String], privileged: Bool, every: CapabilitySet = .all)
        throws(RuntimeError) -> CapabilitySet
    {
        if privileged { return every }
        func parse(_ names: [String]) throws(RuntimeError) -> (all: Bool, set: CapabilitySet) {
            var all = false
            var set = CapabilitySet.empty
            for name in names {
                if name.uppercased() == "ALL" || name.uppercased() == "CAP_ALL" {
                    all = true
                } else if let capability = Capability(name: name) {
                    set.mask |= 1 << UInt64(capability.rawValue)
                } else {
                    throw .invalidSpec("unknown capability \"\(name)\"")
                }
            }
            return (all, set)
        }
        let added = try parse(add)
        let dropped = try parse(drop)
        if added.all { return CapabilitySet(mask: every.mask & ~(dropped.set.mask & ~added.set.mask)) }
        let base = dropped.all ? CapabilitySet.empty : CapabilitySet.dockerDefault
        return CapabilitySet(mask: (base.mask & ~dropped.set.mask) | added.set.mask)
    }

    public var description: String { members.map(\.name).joined(separator: ",") }
}
