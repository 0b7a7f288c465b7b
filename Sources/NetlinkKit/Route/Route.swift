import CLinuxShims

/// What to ask for when adding a route; nil destination means the default route.
public struct RouteSpec: Sendable, Equatable {
    public var destination: IPNetwork?
    public var gateway: IPAddress?
    public var device: InterfaceIndex?
    /// Routing table; nil for `main`.
    public var table: UInt32?
    public var metric: UInt32?
    public var scope: RouteScope?
    /// Treat the gateway as directly reachable even without a matching prefix (`onlink`).
    public var onlink: Bool
    /// The address family, used when neither destination nor gateway says it (default routes with `dev` only).
    public var family: AddressFamily
    /// `proto`: who made the route (`rtm_protocol`); nil for `boot`, as ip sends.
    public var protocolID: UInt8? = nil

    public init(destination: IPNetwork? = nil, gateway: IPAddress? = nil, device: InterfaceIndex? = nil,
                table: UInt32? = nil, metric: UInt32? = nil, scope: RouteScope? = nil, onlink: Bool = false,
                family: AddressFamily? = nil)
    {
        self.destination = destination
        self.gateway = gateway
        self.device = device
        self.table = table
        self.metric = metric
        self.scope = scope
        self.onlink = onlink
        self.family = family ?? destination?.address.family ?? gateway?.family ?? .inet
    }

    /// The scope ip asks for: link for IPv4 device routes without a gateway, global otherwise (IPv6 routes
    /// have no scope of their own, and ip always sends universe for them).
    var effectiveScope: RouteScope {
        scope ?? (family != .inet6 && gateway == nil && device != nil ? .link : .universe)
    }
}

/// `rtm_scope` values.
public enum RouteScope: UInt8, Sendable {
    case universe = 0
    case site = 200
    case link = 253
    case host = 254
    case nowhere = 255
}

/// A route as the kernel reports it.
public struct Route: Sendable, Equatable {
    public var family: AddressFamily
    public var destination: IPNetwork?
    public var gateway: IPAddress?
    public var device: InterfaceIndex?
    public var table: UInt32
    public var metric: UInt32?
    public var scope: UInt8
    public var protocolID: UInt8
    public var type: UInt8
    public var flags: UInt32
    /// `RTA_PREFSRC`.
    public var preferredSource: IPAddress?

    /// Whether this is a default route (destination length 0).
    public var isDefault: Bool { destination == nil }

    /// Decodes an `RTM_NEWROUTE` payload.
    public init(decoding payload: [UInt8]) throws(NetlinkError) {
        guard payload.count >= 12 else { throw .malformed(reason: "short rtmsg", offset: 0) }
        family = AddressFamily(rawValue: payload[0]) ?? .unspecified
        let length = Int(payload[1])
        scope = payload[6]
        protocolID = payload[5]
        type = payload[7]
        flags = payload.readLittleEndian(UInt32.self, at: 8)
        let attributes = try Attributes(payload, from: 12)
        table = attributes.integer(nl(RTA_TABLE)) ?? UInt32(payload[4])
        if let raw = attributes[nl(RTA_DST)], let address = IPAddress(bytes: Array(raw)) {
            destination = IPNetwork(address: address, prefixLength: length)
        } else if length > 0 {
            throw .malformed(reason: "route with prefix length \(length) but no RTA_DST", offset: 12)
        } else {
            destination = nil
        }
        gateway = attributes[nl(RTA_GATEWAY)].flatMap { IPAddress(bytes: Array($0)) }
        device = attributes.integer(nl(RTA_OIF), as: Int32.self).map { InterfaceIndex(rawValue: $0) }
        metric = attributes.integer(nl(RTA_PRIORITY))
        preferredSource = attributes[nl(RTA_PREFSRC)].flatMap { IPAddress(bytes: Array($0)) }
    }
}

/// Encoders for `RTM_*ROUTE` payloads.
public enum RouteMessages {
    /// The payload of `ip route add|replace|del` for `spec`.
    public static func route(_ spec: RouteSpec, deleting: Bool = false) -> [UInt8] {
        let table = spec.table ?? u32(RT_TABLE_MAIN)
        var header: [UInt8] = [
            spec.family.rawValue, spec.destination?.prefixLength ?? 0, 0, 0,
            UInt8(truncatingIfNeeded: table < 256 ? table : u32(RT_TABLE_UNSPEC)),
            deleting ? 0 : spec.protocolID ?? UInt8(RTPROT_BOOT),
            // `ip route del` asks for "any scope" (nowhere) for IPv4 and universe for IPv6.
            deleting ? (spec.family == .inet6 ? RouteScope.universe : .nowhere).rawValue : spec.effectiveScope.rawValue,
            deleting ? 0 : UInt8(RTN_UNICAST),
        ]
        header.appendLittleEndian(spec.onlink ? UInt32(RTNH_F_ONLINK) : 0)
        var writer = AttributeWriter(header: header)
        // iproute2's order for `ip route add DST via GW metric M table T dev D`: as parsed, the device last.
        if let destination = spec.destination { writer.append(nl(RTA_DST), bytes: destination.address.bytes) }
        if let gateway = spec.gateway { writer.append(nl(RTA_GATEWAY), bytes: gateway.bytes) }
        if let metric = spec.metric { writer.append(nl(RTA_PRIORITY), metric) }
        if table >= 256 { writer.append(nl(RTA_TABLE), table) }
        if let device = spec.device { writer.append(nl(RTA_OIF), device.rawValue) }
        return writer.bytes
    }

    /// The payload of an `ip route show table all` dump for `family`.
    public static func dump(family: AddressFamily) -> [UInt8] {
        var header: [UInt8] = [family.rawValue, 0, 0, 0, 0, 0, 0, 0]
        header.appendLittleEndian(UInt32(0))
        return header
    }
}

extension NetlinkSocket {
    /// Adds a route. Equivalent to `ip route add ...`.
    public func addRoute(_ spec: RouteSpec) throws(NetlinkError) {
        try execute(MessageType.newRoute, flags: RequestFlags.create | RequestFlags.exclusive,
                    payload: RouteMessages.route(spec), operation: "add route \(Self.describe(spec))")
    }

    /// Adds or replaces a route. Equivalent to `ip route replace ...`.
    public func replaceRoute(_ spec: RouteSpec) throws(NetlinkError) {
        try execute(MessageType.newRoute, flags: RequestFlags.create | RequestFlags.replace,
                    payload: RouteMessages.route(spec), operation: "replace route \(Self.describe(spec))")
    }

    /// Deletes a route. Equivalent to `ip route del ...`.
    public func deleteRoute(_ spec: RouteSpec) throws(NetlinkError) {
        try execute(MessageType.deleteRoute, payload: RouteMessages.route(spec, deleting: true),
                    operation: "delete route \(Self.describe(spec))")
    }

    /// Every route of `family` in every table. Equivalent to `ip route show table all`.
    public func routes(family: AddressFamily = .inet) throws(NetlinkError) -> [Route] {
        var result: [Route] = []
        for message in try dump(MessageType.getRoute, payload: RouteMessages.dump(family: family),
                                operation: "list routes")
        where message.type == MessageType.newRoute {
            result.append(try Route(decoding: message.payload))
        }
        return result
    }

    static func describe(_ spec: RouteSpec) -> String {
        var text = spec.destination?.description ?? "default"
        if let gateway = spec.gateway { text += " via \(gateway)" }
        if let device = spec.device { text += " dev \(device)" }
        if let table = spec.table { text += " table \(table)" }
        if let protocolID = spec.protocolID { text += " proto \(protocolID)" }
        return text
    }
}
