import NetlinkKit

/// `pipework --wait [-i IF]`: run inside a guest, returns once `IF` exists and has carrier, so a service
/// starts only after its interface is usable. Event-driven (netlink multicast), not a polling loop.
public enum PipeworkWait {
    /// Waits in the calling process's namespace.
    public static func untilReady(_ interface: String) async throws(PipeworkError) {
        let monitor: NetlinkMonitor
        let socket: NetlinkSocket
        do {
            // Subscribe first, then look: a change between the two is still seen as an event.
            monitor = try NetlinkMonitor()
            socket = try NetlinkSocket()
            if let link = try socket.link(named: interface), link.isUp, link.hasCarrier { return }
        } catch {
            throw error.pipework
        }
        defer { monitor.stop() }
        for await event in monitor.events {
            if case .linkAdded(let link) = event, link.name == interface, link.isUp, link.hasCarrier { return }
        }
    }
}
