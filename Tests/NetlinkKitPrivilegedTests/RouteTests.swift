import NetlinkKit
import SystemKit
import TestSupport
import Testing

/// Routes, each test in its own scratch namespace with a bridge `br0` (192.168.1.5/24, 2001:db8::5/64), read back
/// with `ip -j route`.
@Suite(needsNamespaces) struct RouteTests {
    /// A namespace with `br0` up and addressed; IPv6 without DAD so gateways in 2001:db8::/64 are usable at once.
    static func withAddressedBridge(_ body: (NetworkNamespace, NetlinkSocket, InterfaceIndex) throws -> Void) throws {
        try withScratchNetworkNamespace { namespace, socket in
            let bridge = try socket.makeBridge()
            try socket.addAddress(try network("192.168.1.5/24"), to: bridge)
            try setUp(namespace, ["ip", "addr", "add", "2001:db8::5/64", "dev", "br0", "nodad"])
            try body(namespace, socket, bridge)
        }
    }

    static func routes(in namespace: NetworkNamespace, _ arguments: [String]) throws -> [[String: Any]] {
        try ipJSON(in: namespace, ["route", "show"] + arguments)
    }

    @Test func ipv4DefaultViaGateway() throws {
        try Self.withAddressedBridge { namespace, socket, bridge in
            try socket.addRoute(RouteSpec(gateway: try address("192.168.1.1")))
            let route = try #require(try Self.routes(in: namespace, ["default"]).first)
            #expect(route["gateway"] as? String == "192.168.1.1")
            #expect(route["dev"] as? String == "br0")
            let dumped = try #require(try socket.routes().first { $0.isDefault })
            #expect(dumped.gateway == IPAddress("192.168.1.1"))
            #expect(dumped.device == bridge)
            #expect(dumped.table == 254)

            try socket.deleteRoute(RouteSpec(family: .inet))
            #expect(try Self.routes(in: namespace, ["default"]).isEmpty)
        }
    }

    @Test func deviceRouteIsLinkScoped() throws {
        try Self.withAddressedBridge { namespace, socket, bridge in
            try socket.addRoute(RouteSpec(destination: try network("10.1.0.0/16"), device: bridge))
            let route = try #require(try Self.routes(in: namespace, ["10.1.0.0/16"]).first)
            #expect(route["dev"] as? String == "br0")
            #expect(route["scope"] as? String == "link")
            #expect(route["gateway"] == nil)
        }
    }

    @Test func gatewayDeviceAndMetric() throws {
        try Self.withAddressedBridge { namespace, socket, bridge in
            try socket.addRoute(RouteSpec(destination: try network("10.3.0.0/16"), gateway: try address("192.168.1.1"),
                                          device: bridge, metric: 50))
            let route = try #require(try Self.routes(in: namespace, ["10.3.0.0/16"]).first)
            #expect(route["gateway"] as? String == "192.168.1.1")
            #expect(route["metric"] as? Int == 50)
            #expect(try socket.routes().first { $0.destination == IPNetwork("10.3.0.0/16") }?.metric == 50)
        }
    }

    @Test func onlinkGatewayOutsideEveryPrefix() throws {
        try Self.withAddressedBridge { namespace, socket, bridge in
            let spec = RouteSpec(destination: try network("10.9.0.0/16"), gateway: try address("10.255.0.1"),
                                 device: bridge)
            #expect(throws: NetlinkError.self, "without onlink the kernel refuses an unreachable gateway") {
                try socket.addRoute(spec)
            }
            var onlink = spec
            onlink.onlink = true
            try socket.addRoute(onlink)
            let route = try #require(try Self.routes(in: namespace, ["10.9.0.0/16"]).first)
            #expect(route["gateway"] as? String == "10.255.0.1")
            #expect(flags(route).contains("onlink"))
        }
    }

    @Test("routes in another table", arguments: [UInt32(100), 1000])
    func table(_ table: UInt32) throws {
        try Self.withAddressedBridge { namespace, socket, _ in
            let spec = RouteSpec(destination: try network("10.2.0.0/16"), gateway: try address("192.168.1.1"),
                                 table: table)
            try socket.addRoute(spec)
            #expect(try Self.routes(in: namespace, ["10.2.0.0/16"]).isEmpty, "not in main")
            let route = try #require(try Self.routes(in: namespace, ["table", "\(table)", "10.2.0.0/16"]).first)
            #expect(route["gateway"] as? String == "192.168.1.1")
            #expect(try socket.routes().first { $0.destination == IPNetwork("10.2.0.0/16") }?.table == table)

            try socket.deleteRoute(RouteSpec(destination: try network("10.2.0.0/16"), table: table))
            #expect(try Self.routes(in: namespace, ["table", "\(table)", "10.2.0.0/16"]).isEmpty)
        }
    }

    @Test func explicitScope() throws {
        try Self.withAddressedBridge { namespace, socket, bridge in
            try socket.addRoute(RouteSpec(destination: try network("10.4.0.0/16"), device: bridge, scope: .host))
            let route = try #require(try Self.routes(in: namespace, ["10.4.0.0/16"]).first)
            #expect(route["scope"] as? String == "host")
            #expect(try socket.routes().first { $0.destination == IPNetwork("10.4.0.0/16") }?.scope
                    == RouteScope.host.rawValue)
        }
    }

    @Test func replaceAddsThenReplaces() throws {
        try Self.withAddressedBridge { namespace, socket, bridge in
            let destination = try network("10.1.0.0/16")
            try socket.replaceRoute(RouteSpec(destination: destination, device: bridge))
            #expect(try Self.routes(in: namespace, ["10.1.0.0/16"]).first?["gateway"] == nil)
            try socket.replaceRoute(RouteSpec(destination: destination, gateway: try address("192.168.1.1")))
            let routes = try Self.routes(in: namespace, ["10.1.0.0/16"])
            #expect(routes.count == 1)
            #expect(routes.first?["gateway"] as? String == "192.168.1.1")
        }
    }

    @Test func duplicateAndMissingRoutes() throws {
        try Self.withAddressedBridge { _, socket, bridge in
            let spec = RouteSpec(destination: try network("10.1.0.0/16"), device: bridge)
            try socket.addRoute(spec)
            let duplicate = #expect(throws: NetlinkError.self) { try socket.addRoute(spec) }
            #expect(duplicate?.errno == .exists)
            #expect(duplicate?.description.hasPrefix("cannot add route 10.1.0.0/16 dev 2:") == true)
            try socket.deleteRoute(spec)
            let missing = #expect(throws: NetlinkError.self) { try socket.deleteRoute(spec) }
            #expect(missing?.errno == .noSuchProcess, "the kernel answers ESRCH for a route that is not there")
        }
    }

    @Test func ipv6DefaultPrefixTableAndDelete() throws {
        try Self.withAddressedBridge { namespace, socket, bridge in
            try socket.addRoute(RouteSpec(gateway: try address("2001:db8::1"), metric: 10))
            try socket.addRoute(RouteSpec(destination: try network("2001:db8:1::/64"), device: bridge))
            try socket.addRoute(RouteSpec(destination: try network("2001:db8:2::/64"),
                                          gateway: try address("2001:db8::1"), table: 1000))
            let defaults = try ipJSON(in: namespace, ["-6", "route", "show", "default"])
            #expect(defaults.first?["gateway"] as? String == "2001:db8::1")
            #expect(defaults.first?["metric"] as? Int == 10)
            let prefix = try #require(try ipJSON(in: namespace, ["-6", "route", "show", "2001:db8:1::/64"]).first)
            #expect(prefix["dev"] as? String == "br0")
            #expect(try ipJSON(in: namespace, ["-6", "route", "show", "table", "1000"]).count == 1)

            let dumped = try socket.routes(family: .inet6)
            #expect(dumped.contains { $0.isDefault && $0.gateway == IPAddress("2001:db8::1") })
            #expect(dumped.contains { $0.destination == IPNetwork("2001:db8:2::/64") && $0.table == 1000 })
            #expect(dumped.allSatisfy { $0.family == .inet6 })

            try socket.deleteRoute(RouteSpec(destination: try network("2001:db8:1::/64"), device: bridge))
            try socket.deleteRoute(RouteSpec(gateway: try address("2001:db8::1")))
            #expect(try ipJSON(in: namespace, ["-6", "route", "show", "2001:db8:1::/64"]).isEmpty)
            #expect(try ipJSON(in: namespace, ["-6", "route", "show", "default"]).isEmpty)
        }
    }
}
