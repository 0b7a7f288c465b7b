import CLinuxShims

extension LinkMessages {
    /// The payload of `ip link property add|del dev <if> altname <name>`:
    /// `IFLA_PROP_LIST { IFLA_ALT_IFNAME name }`.
    public static func alternativeName(_ name: String, of index: InterfaceIndex) -> [UInt8] {
        var writer = AttributeWriter(header: header(index: index.rawValue))
        writer.nest(nl(IFLA_PROP_LIST) | UInt16(NLA_F_NESTED)) { list in
            list.append(nl(IFLA_ALT_IFNAME), string: name)
        }
        return writer.bytes
    }
}

extension NetlinkSocket {
    /// Adds an alternative name (up to 127 bytes), which Splice can use as a longer mark than the 15-byte
    /// interface name. Equivalent to `ip link property add dev <if> altname <name>`.
    public func addAlternativeName(_ name: String, to index: InterfaceIndex) throws(NetlinkError) {
        try execute(nl(RTM_NEWLINKPROP), flags: RequestFlags.create | RequestFlags.exclusive,
                    payload: LinkMessages.alternativeName(name, of: index),
                    operation: "add alternative name \"\(name)\" to interface \(index)")
    }

    /// Removes an alternative name. Equivalent to `ip link property del dev <if> altname <name>`.
    public func deleteAlternativeName(_ name: String, from index: InterfaceIndex) throws(NetlinkError) {
        try execute(nl(RTM_DELLINKPROP), payload: LinkMessages.alternativeName(name, of: index),
                    operation: "delete alternative name \"\(name)\" from interface \(index)")
    }
}
