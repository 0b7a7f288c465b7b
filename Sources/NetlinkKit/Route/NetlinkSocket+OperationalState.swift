import Glibc

extension NetlinkSocket {
    /// `IF_OPER_UP` from RFC 2863, as `IFLA_OPERSTATE` reports it.
    public static let operationallyUp: UInt8 = 6

    /// Waits (polling every 200 µs, at most `timeoutMicroseconds`) until the interface called `name` is
    /// operationally up, which the kernel's link watcher sets asynchronously after carrier comes on; returns
    /// whether it got there. A bridge enables a new port in the same link-watcher pass, under the RTNL lock,
    /// so any RTNL request made after this returns true runs after the port was enabled.
    @discardableResult
    public func waitUntilOperationallyUp(_ name: String, timeoutMicroseconds: Int = 100_000) -> Bool {
        guard var current = try? link(named: name) else { return false }
        var waited = 0
        while current.operationalState != Self.operationallyUp {
            if waited >= timeoutMicroseconds { return false }
            usleep(200)
            waited += 200
            guard let next = try? link(current.index) else { return false }
            current = next
        }
        return true
    }
}
