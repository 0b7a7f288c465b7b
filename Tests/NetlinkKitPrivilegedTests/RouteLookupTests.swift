import Glibc
import NetlinkKit
import SystemKit
import TestSupport
import Testing

/// Route lookups (`ip route get`) in a scratch namespace with `br0` at 192.168.1.5/24: the kernel's answer for an
/// on-link address, one through a gateway, and each kind of refusal.
@Suite(needsNamespaces) struct RouteLookupTests {
    @Test func lookupsAnswerAsIpRouteGet() throws {
        try RouteTests.withAddressedBridge { namespace, socket, bridge in
            let local = try address("192.168.1.5")
            let onLink = try socket.lookupRoute(to: try address("192.168.1.9"), from: local)
            #expect(onLink.isUnicast && onLink.device == bridge && onLink.gateway == nil)
            try setUp(namespace, ["ip", "route", "add", "10.4.0.0/16", "via", "192.168.1.1"])
            let routed = try socket.lookupRoute(to: try address("10.4.0.7"))
            #expect(routed.isUnicast && routed.gateway == IPAddress("192.168.1.1") && routed.device == bridge)
            #expect(try socket.lookupRoute(to: local).isLocal)

            for (kind, errno) in [("blackhole", Errno.invalidArgument), ("unreachable", Errno(rawValue: EHOSTUNREACH)),
                                  ("prohibit", Errno.permissionDenied)]
            {
                try setUp(namespace, ["ip", "route", "add", kind, "10.5.0.0/16"])
                do {
                    _ = try socket.lookupRoute(to: try address("10.5.0.1"), from: local)
                    Issue.record("\(kind): the lookup answered")
                } catch let error as NetlinkError {
                    #expect(error.errno == errno, "\(kind): \(error)")
                }
                try setUp(namespace, ["ip", "route", "del", kind, "10.5.0.0/16"])
            }
            do {
                _ = try socket.lookupRoute(to: try address("10.8.0.1"), from: local)
                Issue.record("a lookup without a route answered")
            } catch let error as NetlinkError {
                #expect(error.errno == .networkUnreachable, "\(error)")
            }
        }
    }
}
