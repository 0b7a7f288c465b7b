import Foundation
import NetlinkKit
import SystemKit

/// The router of a routed underlay: namespace `sl-LAB-router` with forwarding on, an end of every host's segment
/// (`pN`, plugged by `ensureUnderlay`) and of the store's segment (`st0`, joined to the switch's `sw0` by `r0`).
extension LabRunner {
    /// The router namespace of lab `name`.
    static func routerNamespace(_ name: String) -> String { "sl-\(name)-router" }

    /// Makes the router (recorded in the state first) and its store segment; returns its netlink socket.
    mutating func ensureRouter(switchSocket: NetlinkSocket, bridge: InterfaceIndex) throws -> NetlinkSocket {
        let name = Self.routerNamespace(lab.name)
        if state.routerNamespace == nil {
            state.routerNamespace = name
            try state.save()
        }
        let fresh = !FileManager.default.fileExists(atPath: "/run/netns/\(name)")
        let router = try namespace(name)
        let sock = try NetlinkSocket.open(in: router)
        if fresh {
            created += 1
            try sock.setLink(named: "lo", LinkChange(up: true))
        }
        let forwarding = ["/bin/sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward"]
        try Shell.checked(Shell.inNamespace("/run/netns/\(name)", forwarding))
        if try switchSocket.link(named: "r0") == nil {
            let mtu = lab.underlay.mtu
            try switchSocket.addLink(
                NetlinkKit.LinkSpec(name: "r0", kind: .veth(peer: VethPeer(name: "st0", namespace: router, mtu: mtu)),
                                    mtu: mtu, master: bridge, up: true))
            try sock.setLink(named: "st0", LinkChange(up: true))
            if let address = lab.switchAddress, let st0 = try sock.link(named: "st0") {
                try sock.addAddress(address, to: st0.index, name: "st0")
            }
            created += 1
        }
        return sock
    }
}
