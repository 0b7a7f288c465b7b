import SystemKit

/// Changes to an existing interface (`ip link set`); nil fields stay as they are.
public struct LinkChange: Sendable {
    /// Set the administrative state: true for up, false for down.
    public var up: Bool?
    public var name: String?
    public var mtu: UInt32?
    public var address: MACAddress?
    /// Enslave to this master; `.some(nil)` releases it (`nomaster`).
    public var master: InterfaceIndex??
    /// Move into this namespace.
    public var namespace: NetworkNamespace?
    public var alias: String?

    public init(up: Bool? = nil, name: String? = nil, mtu: UInt32? = nil, address: MACAddress? = nil,
                master: InterfaceIndex?? = nil, namespace: NetworkNamespace? = nil, alias: String? = nil)
    {
        self.up = up
        self.name = name
        self.mtu = mtu
        self.address = address
        self.master = master
        self.namespace = namespace
        self.alias = alias
    }
}
