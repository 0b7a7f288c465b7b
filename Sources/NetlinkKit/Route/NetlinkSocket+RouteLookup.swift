import CLinuxShims
import SystemKit

extension RouteMessages {
    /// The payload of `ip route get DESTINATION [from SOURCE]`: full-length destination (and source), any table.
    public static func lookup(to destination: IPAddress, from source: IPAddress?) -> [UInt8] {
        let length = UInt8(destination.bitWidth)
        var header: [UInt8] = [destination.family.rawValue, length, source == nil ? 0 : length, 0, 0, 0, 0, 0]
        header.appendLittleEndian(UInt32(0))
        var writer = AttributeWriter(header: header)
        writer.append(nl(RTA_DST), bytes: destination.bytes)
        if let source { writer.append(nl(RTA_SRC), bytes: source.bytes) }
        return writer.bytes
    }
}

extension NetlinkSocket {
    /// The route the kernel takes for packets to `destination`, sent from `source` (a local address) when given:
    /// its own lookup, policy rules included. Equivalent to `ip route get DESTINATION [from SOURCE]`. No route is
    /// `.kernel` with `ENETUNREACH`; an `unreachable`, `prohibit` or `blackhole` route is `EHOSTUNREACH`, `EACCES`
    /// or `EINVAL`.
    public func lookupRoute(to destination: IPAddress, from source: IPAddress? = nil) throws(NetlinkError) -> Route {
        var operation = "look up the route to \(destination)"
        if let source { operation += " from \(source)" }
        let reply = try query(MessageType.getRoute, payload: RouteMessages.lookup(to: destination, from: source),
                              operation: operation)
        guard reply.type == MessageType.newRoute else {
            throw .malformed(reason: "reply of type \(reply.type) to \(operation)", offset: 0)
        }
        return try Route(decoding: reply.payload)
    }
}

extension Route {
    /// Whether packets on this route are forwarded (`RTN_UNICAST`), rather than delivered here or refused.
    public var isUnicast: Bool { type == UInt8(RTN_UNICAST) }
    /// Whether the destination is an address of this host (`RTN_LOCAL`).
    public var isLocal: Bool { type == UInt8(RTN_LOCAL) }
}
