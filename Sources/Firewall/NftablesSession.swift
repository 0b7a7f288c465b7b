import SystemKit

/// The libnftables context a `Firewall` keeps between operations, with the network namespace it was opened in.
///
/// Why keep it: when an nftables netlink socket closes, the kernel first finishes destroying every object deleted
/// by any earlier transaction (`nft_rcv_nl_event` on `NETLINK_URELEASE` flushes the destroy work, which waits for
/// an RCU grace period: 16 to 28 ms on the 6.18 kernel this was measured on). With a context per operation, every
/// deletion (a published port going away) therefore held the firewall, and the next container's start, that long;
/// with one open socket the kernel does that work in the background.
///
/// Only touched while holding `LibnftablesLock`. A context is reused only in the namespace it was opened in: a
/// call from a thread in another namespace gets a context of its own for that call.
final class NftablesSession: @unchecked Sendable {
    // Invariant: read and written only inside `LibnftablesLock.shared.withLock`.
    private var kept: (context: NftablesContext, namespace: FileIdentity)?

    /// Runs `body` with the kept context when the calling thread is in its namespace (opening it on first use), or
    /// with a fresh context otherwise. A failure other than the kernel refusing the commands (`keepsContext`) drops
    /// the kept context, so one in an unknown state is not reused. The caller holds `LibnftablesLock`.
    func withContext<T>(
        _ operation: String, _ body: (NftablesContext) throws(FirewallError) -> T
    ) throws(FirewallError) -> T {
        guard let here = try? NetworkNamespace.currentIdentity() else {
            return try body(NftablesContext(operation: operation))
        }
        if kept == nil { kept = (try NftablesContext(operation: operation), here) }
        guard let kept, kept.namespace == here else { return try body(NftablesContext(operation: operation)) }
        do {
            return try body(kept.context)
        } catch {
            if !error.keepsContext { self.kept = nil }
            throw error
        }
    }
}

extension FirewallError {
    /// True for the kernel's refusals of the commands themselves (an element that exists, or is already gone) and
    /// for models refused before anything was sent: the context and its socket are as good as before. After any
    /// other failure (the socket, memory, a parse error) the session opens a new context.
    var keepsContext: Bool { kind == .invalidModel || meansConflict || meansAlreadyGone }
}
