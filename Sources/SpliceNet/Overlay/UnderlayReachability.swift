import SystemKit

/// Whether this host's VXLAN packets can leave for a peer host: the kernel's route lookup for the tunnel's flow
/// (from the advertised address to the peer's), the same lookup the VXLAN device makes for each packet.
public enum UnderlayReachability: Sendable, Equatable {
    /// A route carries them, directly (`gateway` nil: the peer is on-link) or through a router.
    case reachable(gateway: IPAddress?)
    /// No usable route: `reason` says why, in words for a log line or `network inspect`.
    case unreachable(reason: String)
}
