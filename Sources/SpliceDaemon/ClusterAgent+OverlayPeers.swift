import Logging
import SpliceCluster
import SpliceNet
import SystemKit

/// Overlay peers this host cannot send VXLAN packets to: the kernel has no usable route from the advertised
/// address to the peer's. Their FDB entries are made all the same (traffic flows once a route appears); each such
/// peer is logged once as a warning and reported with every overlay network (`network inspect` shows it under
/// `Options`, `splice.overlay.unreachable_peers`, and `network create` returns it as its warning).
extension ClusterAgent {
    /// Checks the route to every peer of `hosts` (name to advertised address; this host and peers in their grace
    /// included) and records the unreachable ones for each overlay network of `snapshot`.
    func checkOverlayPeers(_ snapshot: ClusterSnapshot, hosts: [String: IPv4Address]) async {
        let names = Set(snapshot.networks.map(\.name))
        let overlays = snapshot.networks.filter { $0.driver == "overlay" }.map(\.name)
        var unreachable: [String] = []
        var reachable: Set<String> = []
        if !overlays.isEmpty {
            for (peer, address) in hosts.sorted(by: { $0.key < $1.key }) where peer != hostName {
                do {
                    switch try await network.underlayReachability(of: address, from: advertise.address) {
                    case .reachable: reachable.insert(peer)
                    case .unreachable(let reason): unreachable.append("\(peer) (\(address)): \(reason)")
                    }
                } catch {
                    logger.warning("route to an overlay peer not checked", metadata: ["peer": "\(peer)",
                                                                                      "error": "\(error)"])
                }
            }
        }
        let before = state.withLock { state in
            let before = Set(overlays.flatMap { state.unreachable[$0] ?? [] })
            state.unreachable = state.unreachable.filter { names.contains($0.key) }
            for name in overlays { state.unreachable[name] = unreachable }
            return before
        }
        for entry in unreachable where !before.contains(entry) {
            logger.warning("overlay peer not reachable over the underlay; its containers are unreachable from here",
                           metadata: ["peer": "\(entry)", "networks": "\(overlays.sorted().joined(separator: ","))"])
        }
        for peer in reachable where before.contains(where: { $0.hasPrefix("\(peer) (") }) {
            logger.info("overlay peer reachable over the underlay again", metadata: ["peer": "\(peer)"])
        }
    }

    /// What an overlay network says about peers it cannot reach (`network create`'s warning, `network inspect`).
    static func overlayUnreachableWarning(_ peers: [String]) -> String {
        "overlay network: VXLAN packets cannot reach \(peers.joined(separator: "; ")); their containers are"
            + " unreachable from this host until the underlay routes to them"
    }
}
