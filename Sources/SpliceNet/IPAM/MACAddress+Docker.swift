import NetlinkKit

extension MACAddress {
    /// The address Docker gives an endpoint with IPv4 address `address`: `02:42:` followed by its four bytes,
    /// locally administered unicast, so each IPv4 address maps to one MAC (172.18.0.2 → `02:42:ac:12:00:02`).
    public static func docker(for address: IPv4Address) -> MACAddress {
        guard let mac = MACAddress(bytes: [0x02, 0x42] + address.bytes) else {
            preconditionFailure("two prefix bytes plus four IPv4 bytes are six bytes")
        }
        return mac
    }
}
